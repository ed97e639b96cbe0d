package app

// The tensor files' part of the catalogue (uiText.Files): the picker, and
// the sentences of compute/tensorfile's error codes.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/klcalc/klcalc/compute/tensorfile"
)

// fileText holds every string about tensor files, in one language.
type fileText struct {
	Heading, Close, Dismiss, KeepSide string
	SideP, SideQ                      string
	OneTensor, Tensors                string // Tensors: count
	Only                              string // tensor name, side
	Guessed, Flattened, Shaped        string
	DropHere, NoFilesHere             string
	TooBig, Empty, NoTensors          string // TooBig: tensor, values, limit; Empty: tensor
	In, At                            string // " in tensor %s", " at byte %d"
	TooManyValues                     string // the limit
	Pasted                            string // what Computing names for a paste
	Computing                         string // what: computing its result
	Reading                           string // what: parsing its text
	Cancel                            string // the progress notice's button
	Canceled                          string // what: not put on the sides
	Codes                             map[tensorfile.ErrorCode]string
	CodesDetail                       map[tensorfile.ErrorCode]string // where the error has a Detail: "%s"
	Unknown                           string                          // the code's name
}

func filesEN() fileText {
	return fileText{
		Heading:       "Tensor file",
		Close:         "Close the tensor file (the values stay)",
		Dismiss:       "Dismiss",
		KeepSide:      "(as it was)",
		SideP:         "P (target)",
		SideQ:         "Q (input)",
		OneTensor:     "1 tensor",
		Tensors:       "%d tensors",
		Only:          "%s is on %s.",
		Guessed:       "The tensors' names do not say which is P and which is Q, so the order in the file chose: check the choice.",
		Flattened:     "A tensor of more than 4 dimensions is shown as rows of its last dimension: 'batchmean' then divides by the number of rows, while PyTorch divides by size(0).",
		Shaped:        "A 3-D or 4-D tensor keeps its shape: the grid shows the rows of its last dimension, each named by its leading indices, and 'batchmean' divides by size(0) as PyTorch does.",
		DropHere:      "Drop the file onto the paste area.",
		NoFilesHere:   "The Gaussian mode does not read files: type the parameters.",
		TooBig:        "tensor %s has %d values; a side holds at most %d",
		Empty:         "tensor %s has no values",
		NoTensors:     "the file holds no tensor",
		In:            "tensor %s",
		At:            "byte %d",
		TooManyValues: "its tensors hold more than %d values, the most the page reads",
		Pasted:        "the pasted values",
		Computing:     "Computing the result of %s…",
		Reading:       "Reading %s…",
		Cancel:        "Cancel",
		Canceled:      "Canceled: %s was not put on the sides, which are as they were.",
		Codes: map[tensorfile.ErrorCode]string{
			tensorfile.ErrUnknownFormat:  "not a .npy, .npz or .safetensors file",
			tensorfile.ErrEmpty:          "the file is empty or holds no tensor",
			tensorfile.ErrBadMagic:       "not a .npy file: it does not begin with \\x93NUMPY",
			tensorfile.ErrVersion:        "a .npy format version other than 1.0, 2.0 and 3.0",
			tensorfile.ErrHeaderTooLarge: "the header is longer than the format allows",
			tensorfile.ErrHeaderSyntax:   "the header is malformed",
			tensorfile.ErrDType:          "an element type the page does not read (it reads float16, bfloat16, float32, float64, integers and bool)",
			tensorfile.ErrShape:          "a dimension is negative, not an integer, or too large",
			tensorfile.ErrTruncated:      "the file is cut short: it ends before the data its header describes",
			tensorfile.ErrTrailingBytes:  "bytes follow the data its header describes",
			tensorfile.ErrOffsets:        "data_offsets is not a [begin, end] pair with begin ≤ end",
			tensorfile.ErrGap:            "bytes of the buffer belong to no tensor",
			tensorfile.ErrOverlap:        "two tensors share bytes of the buffer",
			tensorfile.ErrSize:           "the byte range does not match the dtype and shape",
			tensorfile.ErrDuplicateName:  "a name appears twice",
			tensorfile.ErrNotExact:       "an integer too large to be exact in float64",
			tensorfile.ErrZip:            "the .npz archive is damaged, encrypted, or compressed other than by store or deflate",
			tensorfile.ErrName:           "a name the format cannot hold",
		},
		CodesDetail: map[tensorfile.ErrorCode]string{
			tensorfile.ErrVersion:      ".npy format version %s: only 1.0, 2.0 and 3.0 exist",
			tensorfile.ErrHeaderSyntax: "the header is malformed near “%s”",
			tensorfile.ErrDType:        "element type “%s” is not read here (float16, bfloat16, float32, float64, integers and bool are)",
			tensorfile.ErrShape:        "dimension “%s” is negative, not an integer, or too large",
			tensorfile.ErrNotExact:     "the integer %s is too large to be exact in float64",
		},
		Unknown: "the file could not be read (%s)",
	}
}

func filesKO() fileText {
	return fileText{
		Heading:       "텐서 파일",
		Close:         "텐서 파일 닫기 (값은 그대로)",
		Dismiss:       "닫기",
		KeepSide:      "(그대로)",
		SideP:         "P (target)",
		SideQ:         "Q (input)",
		OneTensor:     "텐서 1개",
		Tensors:       "텐서 %d개",
		Only:          "%s 텐서 → %s",
		Guessed:       "텐서 이름만으로는 어느 쪽이 P이고 어느 쪽이 Q인지 알 수 없어 파일 안의 순서대로 넣었습니다. 선택을 확인하세요.",
		Flattened:     "5차원 이상인 텐서는 마지막 차원의 행들로 보여 줍니다. 이때 'batchmean'은 행 수로 나누지만 PyTorch는 size(0)으로 나눕니다.",
		Shaped:        "3차원·4차원 텐서는 모양을 그대로 유지합니다. 표에는 마지막 차원의 행을 앞쪽 인덱스로 이름 붙여 보여 주고, 'batchmean'은 PyTorch처럼 size(0)으로 나눕니다.",
		DropHere:      "파일은 붙여넣기 영역에 놓으세요.",
		NoFilesHere:   "가우시안 모드는 파일을 읽지 않습니다. 매개변수를 입력하세요.",
		TooBig:        "%s 텐서의 값은 %d개입니다. 한쪽에는 최대 %d개까지 넣을 수 있습니다",
		Empty:         "%s 텐서에 값이 없습니다",
		NoTensors:     "파일에 텐서가 없습니다",
		In:            "텐서 %s",
		At:            "%d번째 바이트",
		TooManyValues: "텐서 값이 모두 %d개를 넘습니다. 이 페이지가 읽는 최대치입니다",
		Pasted:        "붙여넣은 값",
		Computing:     "결과 계산 중: %s…",
		Reading:       "읽는 중: %s…",
		Cancel:        "취소",
		Canceled:      "취소했습니다: %s — 입력은 그대로입니다.",
		Codes: map[tensorfile.ErrorCode]string{
			tensorfile.ErrUnknownFormat:  ".npy, .npz, .safetensors 파일이 아닙니다",
			tensorfile.ErrEmpty:          "파일이 비어 있거나 텐서가 없습니다",
			tensorfile.ErrBadMagic:       ".npy 파일이 아닙니다. \\x93NUMPY로 시작하지 않습니다",
			tensorfile.ErrVersion:        ".npy 형식 버전이 1.0, 2.0, 3.0 중 하나가 아닙니다",
			tensorfile.ErrHeaderTooLarge: "헤더가 형식이 허용하는 길이보다 깁니다",
			tensorfile.ErrHeaderSyntax:   "헤더 형식이 잘못되었습니다",
			tensorfile.ErrDType:          "읽을 수 없는 원소 타입입니다 (float16, bfloat16, float32, float64, 정수, bool을 읽습니다)",
			tensorfile.ErrShape:          "차원 크기가 음수이거나 정수가 아니거나 너무 큽니다",
			tensorfile.ErrTruncated:      "파일이 잘렸습니다. 헤더가 말하는 데이터보다 먼저 끝납니다",
			tensorfile.ErrTrailingBytes:  "헤더가 말하는 데이터 뒤에 바이트가 더 있습니다",
			tensorfile.ErrOffsets:        "data_offsets 값이 begin ≤ end인 [begin, end] 쌍이 아닙니다",
			tensorfile.ErrGap:            "버퍼에 어느 텐서에도 속하지 않는 바이트가 있습니다",
			tensorfile.ErrOverlap:        "두 텐서가 버퍼의 바이트를 함께 씁니다",
			tensorfile.ErrSize:           "바이트 범위가 dtype과 shape에 맞지 않습니다",
			tensorfile.ErrDuplicateName:  "같은 이름이 두 번 나옵니다",
			tensorfile.ErrNotExact:       "float64로 정확히 나타낼 수 없을 만큼 큰 정수가 있습니다",
			tensorfile.ErrZip:            ".npz 압축 파일이 손상되었거나 암호화되었거나 store, deflate가 아닌 방식으로 압축되었습니다",
			tensorfile.ErrName:           "형식에 담을 수 없는 이름입니다",
		},
		CodesDetail: map[tensorfile.ErrorCode]string{
			tensorfile.ErrVersion:      ".npy 형식 버전 %s: 1.0, 2.0, 3.0만 있습니다",
			tensorfile.ErrHeaderSyntax: "헤더 형식이 잘못되었습니다 (“%s” 부근)",
			tensorfile.ErrDType:        "원소 타입 “%s”: 읽을 수 없습니다 (float16, bfloat16, float32, float64, 정수, bool을 읽습니다)",
			tensorfile.ErrShape:        "차원 크기 “%s”: 음수이거나 정수가 아니거나 너무 큽니다",
			tensorfile.ErrNotExact:     "정수 %s: float64로 정확히 나타낼 수 없을 만큼 큽니다",
		},
		Unknown: "파일을 읽을 수 없습니다 (%s)",
	}
}

// sideLabel names a side in the picker.
func (t fileText) sideLabel(sd side) string {
	if sd == sideQ {
		return t.SideQ
	}
	return t.SideP
}

// count is "1 tensor" or "n tensors".
func (t fileText) count(n int) string {
	if n == 1 {
		return t.OneTensor
	}
	return fmt.Sprintf(t.Tensors, n)
}

// only says where a file's single tensor went.
func (t fileText) only(f tensorFileSummary) string {
	sd := sideP
	if f.Choice.Q == 0 {
		sd = sideQ
	}
	return fmt.Sprintf(t.Only, f.Tensors[0].Name, t.sideLabel(sd))
}

// fileError is why a tensor file was refused: the file's name, then what
// is wrong and where.
func (t fileText) fileError(name string, err error) string {
	var msg string
	var te *tensorfile.Error
	var big *errTensorTooBig
	var empty *errTensorEmpty
	switch {
	case errors.As(err, &big):
		msg = fmt.Sprintf(t.TooBig, big.Tensor, big.Values, maxFileCells)
	case errors.As(err, &empty):
		msg = fmt.Sprintf(t.Empty, empty.Tensor)
	case errors.Is(err, errNoTensors):
		msg = t.NoTensors
	case errors.As(err, &te):
		msg = t.codeText(te)
	default:
		msg = fmt.Sprintf(t.Unknown, err)
	}
	return name + ": " + msg
}

// codeText is the sentence of a tensorfile.Error, with the tensor and the
// byte offset where known.
func (t fileText) codeText(e *tensorfile.Error) string {
	var b strings.Builder
	f, withDetail := t.CodesDetail[e.Code]
	switch {
	case e.Code == tensorfile.ErrTooManyValues:
		fmt.Fprintf(&b, t.TooManyValues, 2*maxFileCells)
	case withDetail && e.Detail != "":
		fmt.Fprintf(&b, f, e.Detail)
	default:
		if f, ok := t.Codes[e.Code]; ok {
			b.WriteString(f)
		} else {
			fmt.Fprintf(&b, t.Unknown, e.Code)
		}
	}
	var where []string
	if e.Tensor != "" {
		where = append(where, fmt.Sprintf(t.In, e.Tensor))
	}
	if e.Offset >= 0 {
		where = append(where, fmt.Sprintf(t.At, e.Offset))
	}
	if len(where) > 0 {
		b.WriteString(" (" + strings.Join(where, ", ") + ")")
	}
	return b.String()
}
