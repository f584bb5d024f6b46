//! Reading an input file as text: UTF-8 unless told otherwise, with byte
//! order marks honoured.
//!
//! Spreadsheets save CSV in the system's legacy encoding as often as in
//! UTF-8 (Excel on Windows writes windows-1252 for "CSV (Comma delimited)"),
//! so a file that is not UTF-8 is an error that says where the first bad
//! byte is and which `--encoding` label would read it. Labels are those of
//! the WHATWG Encoding Standard (<https://encoding.spec.whatwg.org/#names-and-labels>),
//! decoded by `encoding_rs`. As in the standard's `decode`, a byte order mark
//! (UTF-8, UTF-16LE, UTF-16BE) wins over any label. Decoding never replaces
//! a bad byte with U+FFFD: a plan read with a wrong byte in an id or a number
//! would be silently wrong.

use std::path::Path;

use encoding_rs::{DecoderResult, Encoding, UTF_8};
use thiserror::Error;

use super::error::{DecodeHint, LoadError, Problem, ProblemKind};

/// The encoding input files are read in.
///
/// The default is UTF-8. Either way a file that starts with a byte order
/// mark is read in the encoding the mark names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextEncoding(Option<&'static Encoding>);

/// Why an `--encoding` label cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EncodingError {
    /// The label names no encoding.
    #[error(
        "\"{0}\" is not an encoding label of the WHATWG Encoding Standard; use e.g. utf-8, windows-1252 (Excel on Windows), iso-8859-15, macintosh, shift_jis, gbk or utf-16le"
    )]
    UnknownLabel(String),
    /// The label names the "replacement" encoding, which decodes nothing.
    #[error(
        "\"{0}\" names an encoding that cannot be decoded safely (the WHATWG \"replacement\" encoding); save the file as UTF-8"
    )]
    Unsupported(String),
}

impl TextEncoding {
    /// UTF-8, the default.
    pub const UTF_8: TextEncoding = TextEncoding(None);

    /// The encoding a WHATWG label names, such as `windows-1252`, `latin1`,
    /// `utf-16le` or `shift_jis` (case and surrounding spaces are ignored).
    ///
    /// # Errors
    ///
    /// [`EncodingError`] when the label names no encoding, or one that
    /// cannot be decoded.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::TextEncoding;
    /// assert_eq!(TextEncoding::for_label("Latin1").unwrap().name(), "windows-1252");
    /// assert!(TextEncoding::for_label("latin-9000").is_err());
    /// ```
    pub fn for_label(label: &str) -> Result<TextEncoding, EncodingError> {
        match Encoding::for_label(label.as_bytes()) {
            None => Err(EncodingError::UnknownLabel(label.to_string())),
            Some(e) if e == encoding_rs::REPLACEMENT => {
                Err(EncodingError::Unsupported(label.to_string()))
            }
            Some(e) if e == UTF_8 => Ok(TextEncoding::UTF_8),
            Some(e) => Ok(TextEncoding(Some(e))),
        }
    }

    /// The encoding's canonical name, e.g. `UTF-8` or `windows-1252`.
    pub fn name(self) -> &'static str {
        self.0.unwrap_or(UTF_8).name()
    }

    /// Decodes a whole file. `file` names it in problems.
    ///
    /// # Errors
    ///
    /// A [`Problem`] at the line of the first byte that is not valid in the
    /// encoding, or of a NUL character.
    pub fn decode(self, file: &str, bytes: &[u8]) -> Result<String, Box<Problem>> {
        let (encoding, skip, hint) = match Encoding::for_bom(bytes) {
            Some((e, len)) => (e, len, DecodeHint::ByteOrderMark),
            None => match self.0 {
                Some(e) => (e, 0, DecodeHint::Label),
                None => (UTF_8, 0, DecodeHint::Default),
            },
        };
        let src = &bytes[skip..];
        let text = if encoding == UTF_8 {
            // The common case, without a copy through the decoder.
            match std::str::from_utf8(src) {
                Ok(t) => t.to_string(),
                Err(e) => {
                    let at = e.valid_up_to();
                    let bad = &src[at..at + e.error_len().unwrap_or(src.len() - at)];
                    let good = std::str::from_utf8(&src[..at]).unwrap_or_default();
                    // UTF-16 without a mark fails here too: say so first.
                    let p = nul(file, encoding, skip, good).unwrap_or_else(|| {
                        not_decodable(file, encoding, hint, good, skip + at, bad)
                    });
                    return Err(Box::new(p));
                }
            }
        } else {
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let capacity = decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len());
            let mut out = String::with_capacity(capacity);
            let mut read = 0;
            loop {
                let (result, n) =
                    decoder.decode_to_string_without_replacement(&src[read..], &mut out, true);
                read += n;
                match result {
                    DecoderResult::InputEmpty => break out,
                    DecoderResult::OutputFull => out.reserve(src.len() - read + 16),
                    DecoderResult::Malformed(bad, after) => {
                        if let Some(p) = nul(file, encoding, skip, &out) {
                            return Err(Box::new(p));
                        }
                        let end = read - after as usize;
                        let start = end - bad as usize;
                        return Err(Box::new(not_decodable(
                            file,
                            encoding,
                            hint,
                            &out,
                            skip + start,
                            &src[start..end],
                        )));
                    }
                }
            }
        };
        match nul(file, encoding, skip, &text) {
            Some(p) => Err(Box::new(p)),
            None => Ok(text),
        }
    }

    /// Reads and decodes a file. `what` names it in errors (e.g. "the risk
    /// register"); `None` for the plan itself.
    pub(super) fn read(self, path: &Path, what: Option<&'static str>) -> Result<String, LoadError> {
        self.read_named(path, what.unwrap_or("the plan"), what)
    }

    /// [`TextEncoding::read`] for a file whose problems are listed with the
    /// plan's (`what` is `None`) but that is not the plan itself: `name`
    /// says which input it is (e.g. "the edges file") when it cannot be
    /// read or is empty.
    pub(super) fn read_named(
        self,
        path: &Path,
        name: &'static str,
        what: Option<&'static str>,
    ) -> Result<String, LoadError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            what: name,
            path: file.clone(),
            source,
        })?;
        let invalid = |p: Problem| match what {
            None => LoadError::Invalid { problems: vec![p] },
            Some(what) => LoadError::InvalidInput {
                what,
                problems: vec![p],
            },
        };
        let text = self.decode(&file, &bytes).map_err(|p| invalid(*p))?;
        if text.trim().is_empty() {
            return Err(invalid(Problem {
                file,
                line: None,
                task: None,
                kind: ProblemKind::EmptyFile { what: name },
            }));
        }
        Ok(text)
    }
}

/// The first NUL character of decoded text, as a problem.
fn nul(file: &str, encoding: &'static Encoding, skip: usize, text: &str) -> Option<Problem> {
    let at = text.find('\0')?;
    let (line, column) = line_and_column(&text[..at]);
    Some(Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind: ProblemKind::NulCharacter {
            offset: byte_offset(encoding, skip, &text[..at]),
            column,
        },
    })
}

/// The 1-based line and column (in characters) just after `before`.
fn line_and_column(before: &str) -> (u64, u64) {
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    (line, column)
}

/// Bytes from the start of the file to the end of the decoded `before`, for
/// encodings where that is known without re-encoding.
fn byte_offset(encoding: &'static Encoding, skip: usize, before: &str) -> u64 {
    let n = if encoding == UTF_8 {
        before.len()
    } else if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        before.encode_utf16().count() * 2
    } else {
        let (bytes, _, _) = encoding.encode(before);
        bytes.len()
    };
    (skip + n) as u64
}

fn not_decodable(
    file: &str,
    encoding: &'static Encoding,
    hint: DecodeHint,
    good: &str,
    offset: usize,
    bad: &[u8],
) -> Problem {
    let (line, column) = line_and_column(good);
    let hex: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
    let bytes = match hex.len() {
        1 => format!("byte {}", hex[0]),
        _ => format!("bytes {}", hex.join(" ")),
    };
    Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind: ProblemKind::NotDecodable {
            encoding: encoding.name(),
            offset: offset as u64,
            column,
            bytes,
            hint,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(enc: TextEncoding, bytes: &[u8]) -> Result<String, String> {
        enc.decode("p.csv", bytes).map_err(|p| p.to_string())
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = TextEncoding::default();
        assert_eq!(decode(plain, b"id\nx\n").unwrap(), "id\nx\n");
        assert_eq!(decode(plain, b"\xEF\xBB\xBFid\n").unwrap(), "id\n");
        assert_eq!(decode(plain, "é".as_bytes()).unwrap(), "é");
    }

    #[test]
    fn utf16_boms_win_over_the_label() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id,é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("id,é\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let w1252 = TextEncoding::for_label("windows-1252").unwrap();
        for enc in [TextEncoding::default(), w1252] {
            assert_eq!(decode(enc, &le).unwrap(), "id,é\n");
            assert_eq!(decode(enc, &be).unwrap(), "id,é\n");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(
            TextEncoding::for_label("utf8").unwrap(),
            TextEncoding::UTF_8
        );
        assert_eq!(
            TextEncoding::for_label(" CP1252 ").unwrap().name(),
            "windows-1252"
        );
        assert_eq!(
            TextEncoding::for_label("utf-16").unwrap().name(),
            "UTF-16LE"
        );
        assert_eq!(
            TextEncoding::for_label("klingon").unwrap_err().to_string(),
            "\"klingon\" is not an encoding label of the WHATWG Encoding Standard; use e.g. utf-8, windows-1252 (Excel on Windows), iso-8859-15, macintosh, shift_jis, gbk or utf-16le"
        );
        assert!(matches!(
            TextEncoding::for_label("iso-2022-kr"),
            Err(EncodingError::Unsupported(_))
        ));
    }

    #[test]
    fn windows_1252_reads_what_utf8_rejects() {
        let bytes = b"id,name\na,Caf\xE9\n";
        assert_eq!(
            decode(TextEncoding::default(), bytes).unwrap_err(),
            "p.csv:2: the file is not valid UTF-8 here: byte 0xE9 at byte offset 13 (column 6); save the file as UTF-8, or pass --encoding LABEL naming the encoding it was saved in, e.g. --encoding windows-1252"
        );
        let w1252 = TextEncoding::for_label("windows-1252").unwrap();
        assert_eq!(decode(w1252, bytes).unwrap(), "id,name\na,Café\n");
    }

    #[test]
    fn bad_bytes_in_a_labelled_or_bom_file_are_located() {
        // 0x82 0x20 is not Shift_JIS (0x82 needs a second byte >= 0x40).
        let sjis = TextEncoding::for_label("shift_jis").unwrap();
        assert_eq!(
            decode(sjis, b"id\nab\x82\x20\n").unwrap_err(),
            "p.csv:2: the file is not valid Shift_JIS here: byte 0x82 at byte offset 5 (column 3); check that Shift_JIS is the encoding the file was saved in (--encoding windows-1252, iso-8859-15, shift_jis, ...), or save it as UTF-8"
        );
        // An unpaired surrogate after a UTF-16LE byte order mark.
        let bytes = [0xFF, 0xFE, b'a', 0, b'\n', 0, 0x00, 0xD8, b'b', 0];
        let e = decode(TextEncoding::default(), &bytes).unwrap_err();
        assert!(
            e.starts_with("p.csv:2: the file is not valid UTF-16LE here: ")
                && e.ends_with("the file starts with a UTF-16LE byte order mark, so it was read as UTF-16LE; save it again as UTF-8"),
            "{e}"
        );
        // A BOM-marked UTF-8 file with a bad byte counts the BOM's bytes.
        let e = decode(TextEncoding::default(), b"\xEF\xBB\xBFa\xFF").unwrap_err();
        assert!(
            e.starts_with(
                "p.csv:1: the file is not valid UTF-8 here: byte 0xFF at byte offset 4 (column 2)"
            ),
            "{e}"
        );
    }

    #[test]
    fn utf16_without_bom_read_as_utf8_is_caught() {
        let bytes: Vec<u8> = "id,likely\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(TextEncoding::default(), &bytes).unwrap_err(),
            "p.csv:1: the file holds a NUL character at byte offset 1 (column 2), which a text CSV never does; if it was saved as UTF-16 without a byte order mark, pass --encoding utf-16le (or utf-16be), else save it as UTF-8"
        );
        let le = TextEncoding::for_label("utf-16le").unwrap();
        assert_eq!(decode(le, &bytes).unwrap(), "id,likely\n");
    }
}
