/* fuzz_telex.c - libFuzzer target: the Telex engine (telex_apply, telex_apply_at).
 * Input: one byte n, then n bytes of starting text (used when valid UTF-8 and made NFC),
 * then keys.  Properties: the buffer stays NUL-terminated valid UTF-8 within its size
 * and the cursor within the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "telex.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[96], cur[96];
	if (size < 1)
		return 0;
	size_t n = data[0] % 48, k = 1;
	if (n > size - 1)
		n = size - 1;
	char start[64];
	memcpy(start, data + 1, n);
	start[n] = 0;
	if (strlen(start) != n || text_nfc(start, buf, sizeof buf) != 0)
		buf[0] = 0;
	k += n;
	memcpy(cur, buf, sizeof cur);
	size_t pos = strlen(cur) / 2;
	while (pos > 0 && ((unsigned char)cur[pos] & 0xc0) == 0x80)
		pos--;
	for (; k < size; k++) {
		uint32_t key = data[k];
		if (key == 0xff && k + 2 < size) /* a wide key now and then */
			key = (uint32_t)data[k + 1] << 8 | data[k + 2];
		if (!telex_apply(buf, sizeof buf, key) && key >= 0x20 && key < 0x7f) {
			size_t l = strlen(buf);
			if (l + 1 < sizeof buf) {
				buf[l] = (char)key;
				buf[l + 1] = 0;
			}
		}
		if (!memchr(buf, 0, sizeof buf) || !text_valid_utf8(buf, strlen(buf)))
			abort();
		telex_apply_at(cur, sizeof cur, &pos, key);
		if (!memchr(cur, 0, sizeof cur) || pos > strlen(cur) || !text_valid_utf8(cur, strlen(cur)))
			abort();
	}
	return 0;
}
