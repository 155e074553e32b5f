/* hashfile.c - writing a file with its SHA-256 line, renamed into place when complete
 * (see hashfile.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "event.h"
#include "hashfile.h"

int hashfile_open(struct hashfile *h, const char *path, struct err *e)
{
	memset(h, 0, sizeof *h);
	snprintf(h->path, sizeof h->path, "%s", path);
	snprintf(h->tmp, sizeof h->tmp, "%s.tmp", path);
	h->f = fopen(h->tmp, "w");
	h->md = EVP_MD_CTX_new();
	if (!h->f || !h->md) {
		err_set(e, MC_IO, "cannot write %s: %s", h->tmp, strerror(errno));
		if (h->f)
			fclose(h->f);
		EVP_MD_CTX_free(h->md);
		h->f = NULL;
		h->md = NULL;
		return MC_IO;
	}
	EVP_DigestInit_ex(h->md, EVP_sha256(), NULL);
	return 0;
}

void hashfile_put(struct hashfile *h, const void *s, size_t n)
{
	if (fwrite(s, 1, n, h->f) != n)
		h->failed = errno ? errno : EIO;
	EVP_DigestUpdate(h->md, s, n);
}

void hashfile_json(struct hashfile *h, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(j);
	if (!s) {
		h->failed = ENOMEM;
		return;
	}
	size_t n = strlen(s);
	s[n] = '\n'; /* over the terminating NUL: one write */
	hashfile_put(h, s, n + 1);
	free(s);
}

int hashfile_digest(struct hashfile *h, unsigned char d[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int len = 32;
	int ok = c && EVP_MD_CTX_copy_ex(c, h->md) == 1 && EVP_DigestFinal_ex(c, d, &len) == 1;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

int hashfile_close(struct hashfile *h)
{
	unsigned char d[32];
	unsigned int len = 32;
	char hex[65];
	EVP_DigestFinal_ex(h->md, d, &len);
	hex_encode(d, 32, hex);
	if (fprintf(h->f, "sha256 %s\n", hex) < 0 || fflush(h->f) || fsync(fileno(h->f)))
		h->failed = errno ? errno : EIO;
	int failed = h->failed;
	if (fclose(h->f) && !failed)
		failed = errno ? errno : EIO;
	h->f = NULL;
	if (!failed && rename(h->tmp, h->path))
		failed = errno;
	if (failed)
		unlink(h->tmp);
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
	return failed;
}

void hashfile_abort(struct hashfile *h)
{
	if (h->f)
		fclose(h->f);
	h->f = NULL;
	unlink(h->tmp);
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}
