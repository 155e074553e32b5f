/* telex.h - Telex Vietnamese input: turns typed ASCII keys into Vietnamese letters.
 *
 * Why: clerks type names and addresses with diacritics on terminals that have no
 * input method.  The engine is pure (no curses, no state of its own): the text
 * already in the field is the state.  On each key it re-derives the word that ends
 * the text (letters, modifiers, one tone), applies the key, re-places the tone and
 * writes the word back.  The UI keeps it off by default and toggles it with a key.
 *
 * Keys (either case; letter case is kept from the letter being modified):
 *   aa -> â   ee -> ê   oo -> ô   aw -> ă   ow -> ơ   uw -> ư   uow -> ươ
 *   w after consonants only (or at word start) -> ư     dd -> đ (DD -> Đ)
 *   tones: s sắc, f huyền, r hỏi, x ngã, j nặng; z removes the tone
 *   Modifier and tone keys may come later in the word ("vietej" = "vieetj").
 *   Typing the same key again undoes and inserts it: "aaa" -> "aa",
 *   "ass" -> "as", "ddd" -> "dd", "uww" -> "uw".
 *
 * Tone placement, classic ("old") style:
 *   - on the vowel carrying a modifier (â ă ê ô ơ ư); for ươ on ơ;
 *   - otherwise a single vowel takes it; a vowel cluster followed by a final
 *     consonant puts it on the last vowel ("toán", "hoàng"); three vowels on the
 *     middle one ("ngoài"); two vowels at the end of the word on the first:
 *     "hòa", "khỏe", "thủy", "mùa";
 *   - the u of "qu" and the i of "gi" (before another vowel) belong to the
 *     consonant: "quý", "giá", "giữa"; "gì" keeps it on i.
 *   "uơ" ends a syllable only as "uơ" (thuở, huơ); once anything follows it
 *   becomes "ươ" (nguowif -> người).
 *
 * A word is the run of letters at the end of the text.  Words containing digits,
 * letters outside Vietnamese, or a shape that cannot be a Vietnamese syllable
 * (e.g. "class", "hello") are left alone: the key is inserted literally.
 */
#ifndef MOTCUA_TELEX_H
#define MOTCUA_TELEX_H

#include <stddef.h>
#include <stdint.h>

/* Apply one typed key to the word ending at the end of buf (NUL-terminated UTF-8,
 * NFC; bufsz is the capacity of buf).
 * Returns 1 if the engine handled the key and rewrote buf (the key must NOT be
 * inserted by the caller; buf stays NFC), 0 if buf is untouched and the caller
 * should insert the key as usual (also when the result would not fit in bufsz).
 * Only ASCII letters are ever handled; any other key returns 0. */
int telex_apply(char *buf, size_t bufsz, uint32_t key);

/* The same for a cursor inside buf: the word is the one ending at byte offset
 * *cursor; text after the cursor is kept.  On 1, *cursor is moved to the end of
 * the rewritten word. */
int telex_apply_at(char *buf, size_t bufsz, size_t *cursor, uint32_t key);

#endif
