package app

import (
	"fmt"
	"strconv"
)

// The words of the share-link and input errors, in both languages.

func linkErrorEN(e *LinkError) string {
	switch e.Problem {
	case linkTooLong:
		return fmt.Sprintf("the link is %d bytes, more than the %d this calculator reads", e.Size, e.Limit)
	case linkNested:
		return "a compressed link inside a compressed link"
	case linkVersion:
		return "a compressed link of an unknown version"
	case linkDamaged:
		return "the compressed link is damaged and does not decode"
	case linkExpands:
		return fmt.Sprintf("the compressed link expands to more than %d bytes", e.Limit)
	case linkRepeated:
		return fmt.Sprintf("key %q appears twice; the first is used", e.Key)
	case linkUnknownKey:
		return fmt.Sprintf("unknown key %q is ignored", e.Key)
	case linkBadValue:
		return fmt.Sprintf("%s must be %s, not %q", e.Key, orList(e.Valid, "or"), e.Value)
	case linkTooManyValues:
		return fmt.Sprintf("%s holds more than %d values", e.Key, e.Limit)
	case linkBadShape:
		return fmt.Sprintf("%s must be 3 or 4 sizes of at least 1, such as 2,3,4, not %q", e.Key, e.Value)
	}
	return "the link is not valid"
}

func linkErrorKO(e *LinkError) string {
	switch e.Problem {
	case linkTooLong:
		return fmt.Sprintf("링크가 %d바이트로, 이 계산기가 읽는 %d바이트보다 깁니다.", e.Size, e.Limit)
	case linkNested:
		return "압축된 링크 안에 다시 압축된 링크가 있습니다."
	case linkVersion:
		return "알 수 없는 버전의 압축 링크입니다."
	case linkDamaged:
		return "압축된 링크가 손상되어 풀 수 없습니다."
	case linkExpands:
		return fmt.Sprintf("압축된 링크를 풀면 %d바이트를 넘습니다.", e.Limit)
	case linkRepeated:
		return fmt.Sprintf("키 %s 두 번 나옵니다. 첫 번째 값을 씁니다.", josa(strconv.Quote(e.Key), "이"))
	case linkUnknownKey:
		return fmt.Sprintf("알 수 없는 키 %s 무시합니다.", josa(strconv.Quote(e.Key), "은"))
	case linkBadValue:
		return fmt.Sprintf("%s %s 하나여야 하는데 %s입니다.", josa(e.Key, "은"), orList(e.Valid, "또는")+" 중", strconv.Quote(e.Value))
	case linkTooManyValues:
		return fmt.Sprintf("%s 값이 %d개보다 많습니다.", josa(e.Key, "은"), e.Limit)
	case linkBadShape:
		return fmt.Sprintf("%s 2,3,4처럼 1 이상인 크기 3개나 4개여야 하는데 %s입니다.", josa(e.Key, "은"), strconv.Quote(e.Value))
	}
	return "링크가 올바르지 않습니다."
}

func inputErrorEN(e *InputError) string {
	if e.Problem == inputTemperature {
		return fmt.Sprintf("%s's temperature %q is not a number", e.Side, e.Text)
	}
	if e.Problem == inputShape {
		return fmt.Sprintf("%s's shape %s needs %d row%s of %d value%s, but it has %d row%s of %d", e.Side, e.Text,
			e.Want, pluralEN(e.Want, "", "s"), e.WantCols, pluralEN(e.WantCols, "", "s"), e.Got, pluralEN(e.Got, "", "s"), e.GotCols)
	}
	return fmt.Sprintf("%s row %d has %d value%s but row 1 has %d", e.Side, e.Row+1, e.Got, pluralEN(e.Got, "", "s"), e.Want)
}

func inputErrorKO(e *InputError) string {
	if e.Problem == inputTemperature {
		return fmt.Sprintf("%s의 온도 %s 숫자가 아닙니다.", e.Side, josa(strconv.Quote(e.Text), "은"))
	}
	if e.Problem == inputShape {
		return fmt.Sprintf("%s의 모양 %s에는 값 %d개짜리 행이 %d개 필요한데 지금은 값 %d개짜리 행이 %d개입니다.", e.Side, e.Text, e.WantCols, e.Want, e.GotCols, e.Got)
	}
	return fmt.Sprintf("%s의 %d행에는 값이 %d개인데 1행에는 %d개입니다. 행마다 값의 개수가 같아야 합니다.", e.Side, e.Row+1, e.Got, e.Want)
}

// linkMessages writes each problem of a share link, as DecodeState
// reported them, in the reader's language.
func (t *uiText) linkMessages(l lang, err error) []string {
	var out []string
	for _, e := range splitErrors(err) {
		var msg string
		switch le := e.(type) {
		case *LinkError:
			msg = linkErrorEN(le)
			if l == langKO {
				msg = linkErrorKO(le)
			}
		default:
			msg = e.Error() // not the decoder's: kept as Go wrote it
		}
		out = append(out, fmt.Sprintf(t.ShareLinkError, msg))
	}
	return out
}

// inputMessage writes an InputError in the reader's language.
func (t *uiText) inputMessage(l lang, e *InputError) string {
	if l == langKO {
		return inputErrorKO(e)
	}
	return inputErrorEN(e)
}

// linkLossText says why the address bar no longer holds the state.
func (t *uiText) linkLossText(loss linkLoss) string {
	switch loss.Problem {
	case lossTooLong:
		if loss.AtLeast {
			return fmt.Sprintf(t.LossTooLongAtLeast, float64(loss.Limit)/(1<<20))
		}
		return fmt.Sprintf(t.LossTooLong, float64(loss.Size)/(1<<20), float64(loss.Limit)/(1<<20))
	case lossTooManyValues:
		return fmt.Sprintf(t.LossTooManyValues, loss.Side, loss.Cells, loss.Limit)
	}
	return ""
}
