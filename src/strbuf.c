/* strbuf.c - a growing text buffer (see strbuf.h). */
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

int strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	if (sb->oom)
		return -1;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 256;
		while (cap < sb->len + n + 1)
			cap *= 2;
		char *p = realloc(sb->buf, cap);
		if (!p) {
			sb->oom = 1;
			return -1;
		}
		sb->buf = p;
		sb->cap = cap;
	}
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
	return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s) { return strbuf_add(sb, s, strlen(s)); }

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = 0;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof *sb);
}
