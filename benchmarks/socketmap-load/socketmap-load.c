/*
 * socketmap-load: a small load generator for a Postfix socketmap server (issue #15).
 *
 * Like Postfix's dict_sockmap client, every connection sends one request ("NAME KEY" as a netstring),
 * waits for the whole reply, then sends the next: no pipelining. All connections are driven by a few
 * threads with epoll (default one thread), so the generator costs little CPU; its own CPU comes from
 * getrusage(RUSAGE_SELF) and is printed next to the throughput so that it can be seen not to be the
 * bottleneck. Every reply is compared byte for byte with the expected reply; a different reply, a
 * malformed netstring or a closed connection is counted (and a closed connection stops the run).
 *
 *   socketmap-load -a 127.0.0.1:8461 -c 16 -t 1 -s 10 -n postfix -k keys.txt -e 'OK secure match=...' [-p SERVER_PID]
 *
 * keys.txt: one key per line; connection i starts at key i*7919 and cycles through them.
 * Output: one line of "name=value" pairs (see print_result) so that scripts can read it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define BUCKET_NS 1000          /* histogram resolution: 1 µs */
#define BUCKETS 100000          /* up to 100 ms; slower replies go to the last bucket */
#define REPLY_MAX 110000        /* Postfix's reply limit is 100,000 bytes plus framing */

struct request { char *bytes; size_t length; };

struct connection {
    int fd;
    size_t next_key;
    size_t sent;                 /* bytes of the current request sent */
    char *reply;                 /* bytes of the current reply received */
    size_t filled;
    struct timespec started;
    const struct request *current;
};

struct worker {
    pthread_t thread;
    int index;
    struct connection *connections;
    int count;
    uint64_t *histogram;
    uint64_t done;
    uint64_t bad;
    int failed;
};

static const char *address = "127.0.0.1:8461";
static int connection_count = 16;
static int thread_count = 1;
static double seconds = 10;
static double warmup_seconds = 1;
static const char *map_name = "postfix";
static const char *keys_file;
static const char *expected_text;
static struct request *requests;
static size_t request_count;
static char *expected_frame;     /* the whole expected netstring */
static size_t expected_length;
static int server_pid;           /* -p: the server's CPU over the same window, from /proc/PID/stat */
static atomic_int phase;         /* 0 warm-up (not counted), 1 measuring, 2 stop */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat); -1 when unknown. */
static int process_ticks(int pid, long long *user, long long *sys)
{
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    char *p = strrchr(text, ')');   /* the command name may hold spaces */
    if (p == NULL) return -1;
    /* after ")": state(3) ppid(4) ... utime(14) stime(15) */
    return sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", user, sys) == 2 ? 0 : -1;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static char *frame(const char *payload, size_t length, size_t *framed)
{
    char head[32];
    int n = snprintf(head, sizeof head, "%zu:", length);
    char *bytes = malloc(n + length + 1);
    if (bytes == NULL) die("malloc");
    memcpy(bytes, head, n);
    memcpy(bytes + n, payload, length);
    bytes[n + length] = ',';
    *framed = n + length + 1;
    return bytes;
}

static void load_keys(void)
{
    FILE *f = fopen(keys_file, "r");
    if (f == NULL) die(keys_file);
    size_t capacity = 1024;
    requests = malloc(capacity * sizeof *requests);
    char line[10000];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t l = strcspn(line, "\r\n");
        if (l == 0) continue;
        line[l] = 0;
        char payload[10100];
        int n = snprintf(payload, sizeof payload, "%s %s", map_name, line);
        if (request_count == capacity) {
            capacity *= 2;
            requests = realloc(requests, capacity * sizeof *requests);
            if (requests == NULL) die("realloc");
        }
        requests[request_count].bytes = frame(payload, (size_t)n, &requests[request_count].length);
        request_count++;
    }
    fclose(f);
    if (request_count == 0) {
        fprintf(stderr, "%s: no keys\n", keys_file);
        exit(2);
    }
}

static int connect_to(void)
{
    int fd;
    if (strncmp(address, "unix:", 5) == 0) {
        struct sockaddr_un un = { .sun_family = AF_UNIX };
        strncpy(un.sun_path, address + 5, sizeof un.sun_path - 1);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&un, sizeof un) != 0) die("connect");
        return fd;
    }
    char host[256];
    const char *colon = strrchr(address, ':');
    if (colon == NULL || (size_t)(colon - address) >= sizeof host) {
        fprintf(stderr, "bad address %s\n", address);
        exit(2);
    }
    memcpy(host, address, colon - address);
    host[colon - address] = 0;
    struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1)) };
    if (inet_pton(AF_INET, host, &in.sin_addr) != 1) {
        fprintf(stderr, "bad IPv4 address %s\n", host);
        exit(2);
    }
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&in, sizeof in) != 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Sends what is left of the current request; returns 0 on success, -1 when the peer is gone. */
static int send_rest(struct connection *c)
{
    while (c->sent < c->current->length) {
        ssize_t n = send(c->fd, c->current->bytes + c->sent, c->current->length - c->sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
            if (errno == EINTR) continue;
            return -1;
        }
        c->sent += (size_t)n;
    }
    return 0;
}

static void start_request(struct connection *c)
{
    c->current = &requests[c->next_key++ % request_count];
    c->sent = 0;
    c->filled = 0;
    clock_gettime(CLOCK_MONOTONIC, &c->started);
}

/* 1: a whole netstring is in the buffer; 0: not yet; -1: malformed. */
static int reply_complete(const struct connection *c, size_t *total)
{
    size_t length = 0, i = 0;
    while (i < c->filled && c->reply[i] >= '0' && c->reply[i] <= '9') {
        length = length * 10 + (size_t)(c->reply[i] - '0');
        if (length > REPLY_MAX) return -1;
        i++;
    }
    if (i == c->filled) return 0;
    if (i == 0 || c->reply[i] != ':') return -1;
    if (c->filled < i + 1 + length + 1) return 0;
    if (c->reply[i + 1 + length] != ',') return -1;
    *total = i + 1 + length + 1;
    return 1;
}

static void *run(void *argument)
{
    struct worker *w = argument;
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    for (int i = 0; i < w->count; i++) {
        struct connection *c = &w->connections[i];
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) die("epoll_ctl");
        start_request(c);
        if (send_rest(c) != 0) die("send");
    }
    struct epoll_event events[256];
    while (atomic_load_explicit(&phase, memory_order_relaxed) < 2 && !w->failed) {
        int n = epoll_wait(ep, events, 256, 100);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int e = 0; e < n; e++) {
            struct connection *c = events[e].data.ptr;
            ssize_t got = recv(c->fd, c->reply + c->filled, REPLY_MAX + 16 - c->filled, 0);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got <= 0) {
                fprintf(stderr, "connection closed by the server\n");
                w->failed = 1;
                break;
            }
            c->filled += (size_t)got;
            size_t total = 0;
            int status = reply_complete(c, &total);
            if (status == 0) continue;
            if (status < 0 || total != c->filled) {
                fprintf(stderr, "malformed reply\n");
                w->bad++;
                w->failed = 1;
                break;
            }
            struct timespec end;
            clock_gettime(CLOCK_MONOTONIC, &end);
            if (atomic_load_explicit(&phase, memory_order_relaxed) == 1) {
                int64_t ns = (int64_t)(end.tv_sec - c->started.tv_sec) * 1000000000 + (end.tv_nsec - c->started.tv_nsec);
                int64_t b = ns / BUCKET_NS;
                w->histogram[b >= BUCKETS ? BUCKETS - 1 : b]++;
                w->done++;
                if (total != expected_length || memcmp(c->reply, expected_frame, total) != 0) w->bad++;
            }
            start_request(c);
            if (send_rest(c) != 0) {
                fprintf(stderr, "send failed\n");
                w->failed = 1;
                break;
            }
        }
    }
    close(ep);
    return NULL;
}

static double percentile(const uint64_t *histogram, uint64_t total, double p)
{
    uint64_t rank = (uint64_t)(p * (double)total + 0.999999), seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
        seen += histogram[b];
        if (seen >= rank && rank > 0) return (b + 1) * (BUCKET_NS / 1e6);   /* upper edge, ms */
    }
    return -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: socketmap-load -a ADDR -k KEYS -e EXPECTED [-c CONNECTIONS] [-t THREADS] [-s SECONDS] [-w WARMUP] [-n NAME]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "a:c:t:s:w:n:k:e:p:")) != -1) {
        switch (opt) {
        case 'a': address = optarg; break;
        case 'c': connection_count = atoi(optarg); break;
        case 't': thread_count = atoi(optarg); break;
        case 's': seconds = atof(optarg); break;
        case 'w': warmup_seconds = atof(optarg); break;
        case 'n': map_name = optarg; break;
        case 'k': keys_file = optarg; break;
        case 'e': expected_text = optarg; break;
        case 'p': server_pid = atoi(optarg); break;
        default: usage();
        }
    }
    if (keys_file == NULL || expected_text == NULL || connection_count < 1 || thread_count < 1) usage();
    if (thread_count > connection_count) thread_count = connection_count;
    load_keys();
    expected_frame = frame(expected_text, strlen(expected_text), &expected_length);

    struct connection *all = calloc((size_t)connection_count, sizeof *all);
    for (int i = 0; i < connection_count; i++) {
        all[i].fd = connect_to();
        all[i].next_key = (size_t)i * 7919;
        all[i].reply = malloc(REPLY_MAX + 16);
    }
    struct worker *workers = calloc((size_t)thread_count, sizeof *workers);
    int per = connection_count / thread_count, extra = connection_count % thread_count, at = 0;
    for (int t = 0; t < thread_count; t++) {
        workers[t].index = t;
        workers[t].connections = all + at;
        workers[t].count = per + (t < extra);
        at += workers[t].count;
        workers[t].histogram = calloc(BUCKETS, sizeof(uint64_t));
    }

    atomic_store(&phase, 0);
    for (int t = 0; t < thread_count; t++) {
        if (pthread_create(&workers[t].thread, NULL, run, &workers[t]) != 0) die("pthread_create");
    }
    struct timespec pause = { (time_t)warmup_seconds, (long)((warmup_seconds - (time_t)warmup_seconds) * 1e9) };
    nanosleep(&pause, NULL);

    struct rusage before, after;
    long long server_user0 = 0, server_sys0 = 0, server_user1 = 0, server_sys1 = 0;
    int server_known = server_pid > 0 && process_ticks(server_pid, &server_user0, &server_sys0) == 0;
    getrusage(RUSAGE_SELF, &before);
    double start = now_seconds();
    atomic_store(&phase, 1);
    struct timespec run_for = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
    nanosleep(&run_for, NULL);
    atomic_store(&phase, 2);
    double wall = now_seconds() - start;
    getrusage(RUSAGE_SELF, &after);
    server_known = server_known && process_ticks(server_pid, &server_user1, &server_sys1) == 0;
    for (int t = 0; t < thread_count; t++) pthread_join(workers[t].thread, NULL);

    uint64_t *merged = calloc(BUCKETS, sizeof(uint64_t)), done = 0, bad = 0;
    int failed = 0;
    for (int t = 0; t < thread_count; t++) {
        for (int b = 0; b < BUCKETS; b++) merged[b] += workers[t].histogram[b];
        done += workers[t].done;
        bad += workers[t].bad;
        failed |= workers[t].failed;
    }
    double user = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6;
    double sys = (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
    double hz = (double)sysconf(_SC_CLK_TCK);
    double server_cpu = server_known ? (server_user1 - server_user0 + server_sys1 - server_sys0) / hz / wall : -1;
    double server_sys = server_known ? (server_sys1 - server_sys0) / hz / wall : -1;
    printf("connections=%d threads=%d seconds=%.3f queries=%llu qps=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
           "max_bucket_ms=%.3f generator_cpu=%.3f generator_user=%.3f generator_sys=%.3f server_cpu=%.3f server_sys=%.3f "
           "bad=%llu failed=%d\n",
           connection_count, thread_count, wall, (unsigned long long)done, done / wall,
           percentile(merged, done, 0.50), percentile(merged, done, 0.99), percentile(merged, done, 0.999),
           percentile(merged, done, 1.0), (user + sys) / wall, user / wall, sys / wall, server_cpu, server_sys, (unsigned long long)bad, failed);
    for (int i = 0; i < connection_count; i++) close(all[i].fd);
    return failed || bad ? 1 : 0;
}
