package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// josa appends to word the Korean particle that fits its final sound.
// particle is given in its form after a consonant: "이" (이/가), "을"
// (을/를), "은" (은/는), "과" (과/와), "으로" (으로/로, where ㄹ counts as
// a vowel) or "이나" (이나/나). Numbers are read as Korean numerals (3 is
// 삼, 20 is 이십, 1000 is 천), Latin letters by their English names (P is
// 피, M is 엠), closing brackets and punctuation by what they close.
func josa(word, particle string) string {
	final, rieul := finalSound(word)
	consonantForm := final && !(particle == "으로" && rieul)
	if consonantForm {
		return word + particle
	}
	switch particle {
	case "이":
		return word + "가"
	case "을":
		return word + "를"
	case "은":
		return word + "는"
	case "과":
		return word + "와"
	case "으로":
		return word + "로"
	case "이나":
		return word + "나"
	}
	return word + particle
}

// finalSound reports whether word, read aloud in Korean, ends in a
// consonant (batchim), and whether that consonant is ㄹ.
func finalSound(word string) (final, rieul bool) {
	s := strings.TrimRightFunc(word, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(")]}'\".,;:…", r)
	})
	if s == "" {
		return false, false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch {
	case r >= 0xAC00 && r <= 0xD7A3: // a Hangul syllable
		f := (r - 0xAC00) % 28
		return f != 0, f == 8
	case r >= '0' && r <= '9':
		return numberFinal(s)
	case r == '∞':
		return false, false // 무한대
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		if strings.HasSuffix(strings.ToLower(s), "nan") {
			return true, false // 난
		}
		switch unicode.ToLower(r) {
		case 'l', 'r':
			return true, true // 엘, 알
		case 'm', 'n':
			return true, false // 엠, 엔
		}
		return false, false // 피, 큐, 티, 씨, …
	}
	return false, false
}

// numberFinal reads the number that s ends with: the last digit unless
// it is a 0 of a round number, which is read by its place (십, 백, 천, 만).
func numberFinal(s string) (final, rieul bool) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	digits := s[i:]
	afterPoint := i > 0 && s[i-1] == '.'
	zeros := len(digits) - len(strings.TrimRight(digits, "0"))
	if zeros == 0 || afterPoint || zeros == len(digits) {
		switch digits[len(digits)-1] {
		case '0', '3', '6': // 영, 삼, 육
			return true, false
		case '1', '7', '8': // 일, 칠, 팔
			return true, true
		}
		return false, false // 이, 사, 오, 구
	}
	switch zeros % 4 {
	case 1: // 십
		return true, false
	case 2: // 백
		return true, false
	case 3: // 천
		return true, false
	}
	return true, false // 만, 억, …: all end in ㄴ or ㄱ
}
