/* tsa_mock.c - a stand-in RFC 3161 timestamp server (or OCSP responder) for the tests,
 * on 127.0.0.1 only: each HTTP POST's body goes to DIR/q.tsq, CMD (e.g. `openssl ts
 * -reply ...` or `openssl ocsp ...`) turns it into DIR/r.tsr, which is sent back as
 * TYPE (default application/timestamp-reply).
 * Usage: tsa_mock DIR CMD [TYPE]   (writes the port it listens on to DIR/port) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return 2;
	const char *type = argc == 4 ? argv[3] : "application/timestamp-reply";
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 8) || getsockname(s, (struct sockaddr *)&a, &al))
		return 1;
	char path[4096], buf[65536];
	snprintf(path, sizeof path, "%s/port", argv[1]);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		size_t n = 0;
		char *body = NULL;
		long want = -1;
		while (n < sizeof buf - 1) {
			ssize_t r = read(c, buf + n, sizeof buf - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = 0;
			if (!body && (body = strstr(buf, "\r\n\r\n"))) {
				body += 4;
				char *cl = strcasestr(buf, "Content-Length:");
				want = cl ? atol(cl + 15) : 0;
			}
			if (body && (long)(n - (size_t)(body - buf)) >= want)
				break;
		}
		if (body) {
			snprintf(path, sizeof path, "%s/q.tsq", argv[1]);
			f = fopen(path, "wb");
			if (f) {
				fwrite(body, 1, n - (size_t)(body - buf), f);
				fclose(f);
			}
			int rc = system(argv[2]);
			snprintf(path, sizeof path, "%s/r.tsr", argv[1]);
			f = rc == 0 ? fopen(path, "rb") : NULL;
			size_t m = f ? fread(buf, 1, sizeof buf, f) : 0;
			if (f)
				fclose(f);
			char head[256];
			int h = snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
					 m ? "200 OK" : "500 Error", type, m);
			if (write(c, head, (size_t)h) < 0 || write(c, buf, m) < 0) {
				/* the client went away */
			}
		}
		close(c);
	}
}
