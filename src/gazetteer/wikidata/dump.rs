//! Reading a Wikidata JSON dump: decompression, bounded lines, and the few fields of an entity
//! the import needs (everything else is skipped by the parser without being stored).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

const BUFFER: usize = 1 << 20;

/// How the dump is compressed, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    /// Plain JSON.
    None,
    /// gzip (`latest-all.json.gz`), possibly several members.
    Gzip,
    /// bzip2 (`latest-all.json.bz2`), possibly several streams (as parallel compressors write).
    Bzip2,
}

impl Compression {
    /// The compression that a file's name announces, if any.
    pub(crate) fn from_name(name: &str) -> Option<Compression> {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".gz") {
            Some(Compression::Gzip)
        } else if name.ends_with(".bz2") {
            Some(Compression::Bzip2)
        } else {
            None
        }
    }

    fn from_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else {
            Compression::None
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Compression::None => "plain JSON",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// Counts the bytes read from the underlying (compressed) file, for progress.
pub(crate) struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R, count: Arc<AtomicU64>) -> Counting<R> {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Wraps `reader` in the decoder its first bytes call for. A decoder runs on a thread of its
/// own, a few chunks ahead, so that decompressing and parsing share the cores.
pub(crate) fn decode(
    reader: impl Read + Send + 'static,
) -> io::Result<(Box<dyn BufRead + Send>, Compression)> {
    let mut buffered = BufReader::with_capacity(BUFFER, reader);
    let compression = Compression::from_magic(buffered.fill_buf()?);
    let decoded: Box<dyn BufRead + Send> = match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(ReadAhead::spawn(flate2::bufread::MultiGzDecoder::new(
            buffered,
        ))?),
        Compression::Bzip2 => Box::new(ReadAhead::spawn(bzip2::bufread::MultiBzDecoder::new(
            buffered,
        ))?),
    };
    Ok((decoded, compression))
}

/// Chunks read ahead: memory stays at `AHEAD` chunks of [`BUFFER`] bytes.
const AHEAD: usize = 4;

/// A reader that reads its source on a thread of its own, up to [`AHEAD`] chunks ahead. A
/// read error is passed on in order and ends the stream; dropping the reader stops the thread
/// at its next chunk.
pub(crate) struct ReadAhead {
    chunks: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    pos: usize,
    done: bool,
}

impl ReadAhead {
    fn spawn(mut source: impl Read + Send + 'static) -> io::Result<ReadAhead> {
        let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
        std::thread::Builder::new()
            .name("dump-reader".into())
            .spawn(move || loop {
                let mut chunk = vec![0; BUFFER];
                let mut filled = 0;
                let result = loop {
                    match source.read(&mut chunk[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == chunk.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                chunk.truncate(filled);
                let last = filled < BUFFER || result.is_err();
                if filled > 0 && tx.send(Ok(chunk)).is_err() {
                    return;
                }
                if let Err(e) = result {
                    let _ = tx.send(Err(e));
                }
                if last {
                    return;
                }
            })?;
        Ok(ReadAhead {
            chunks: rx,
            current: Vec::new(),
            pos: 0,
            done: false,
        })
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.current.len() && !self.done {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        Ok(&self.current[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.current.len());
    }
}

/// One physical line of the dump.
pub(crate) enum Line<'a> {
    /// The line's bytes, without its line break.
    Text(&'a [u8]),
    /// A line longer than the limit (its length so far); its bytes were skipped.
    TooLong(usize),
}

/// Reads lines of at most `max` bytes, reusing one buffer: memory stays at the longest line
/// (up to the limit), however long the dump.
pub(crate) struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    number: u64,
    max: usize,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R, max: usize) -> Lines<R> {
        Lines {
            reader,
            buf: Vec::new(),
            number: 0,
            max,
        }
    }

    /// The next line and its 1-based number, or `None` at the end.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buf.clear();
        let limit = self.max as u64 + 1;
        let n = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if self.buf.len() > self.max {
            let rest = self.reader.skip_until(b'\n')?;
            let len = self.buf.len() + rest.saturating_sub(1);
            return Ok(Some((self.number, Line::TooLong(len))));
        }
        Ok(Some((self.number, Line::Text(&self.buf))))
    }
}

/// The JSON of an entity line: trims white space and the trailing comma. `None` for the
/// array's `[` and `]` lines and for blank lines.
pub(crate) fn entity_json(line: &[u8]) -> Option<&[u8]> {
    let line = line
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(line)
        .trim_ascii();
    let line = line.strip_suffix(b",").unwrap_or(line).trim_ascii_end();
    match line {
        b"" | b"[" | b"]" => None,
        json => Some(json),
    }
}

/// An entity: only the fields the import reads.
#[derive(Deserialize)]
pub(crate) struct Entity<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "map_or_empty")]
    pub labels: Labels<'a>,
    #[serde(default, borrow, deserialize_with = "map_or_empty")]
    pub aliases: Aliases<'a>,
    #[serde(default, borrow, deserialize_with = "map_or_empty")]
    pub claims: Claims<'a>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Labels<'a> {
    #[serde(borrow)]
    pub en: Option<Term<'a>>,
    #[serde(borrow)]
    pub fa: Option<Term<'a>>,
}

#[derive(Deserialize, Default)]
pub(crate) struct Aliases<'a> {
    #[serde(default, borrow)]
    pub en: Vec<Term<'a>>,
    #[serde(default, borrow)]
    pub fa: Vec<Term<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct Term<'a> {
    #[serde(borrow)]
    pub value: Cow<'a, str>,
}

/// The statements the import reads.
#[derive(Deserialize, Default)]
pub(crate) struct Claims<'a> {
    /// instance of
    #[serde(rename = "P31", default, borrow)]
    pub instance_of: Vec<ItemStatement<'a>>,
    /// country of citizenship
    #[serde(rename = "P27", default, borrow)]
    pub citizenship: Vec<ItemStatement<'a>>,
    /// country
    #[serde(rename = "P17", default, borrow)]
    pub country: Vec<ItemStatement<'a>>,
    /// member of political party
    #[serde(rename = "P102", default, borrow)]
    pub party: Vec<ItemStatement<'a>>,
    /// position held
    #[serde(rename = "P39", default, borrow)]
    pub position: Vec<ItemStatement<'a>>,
    /// applies to jurisdiction (of a position)
    #[serde(rename = "P1001", default, borrow)]
    pub jurisdiction: Vec<ItemStatement<'a>>,
    /// ISO 3166-1 alpha-2 code
    #[serde(rename = "P297", default, borrow)]
    pub iso_alpha2: Vec<StringStatement<'a>>,
}

#[derive(Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Rank {
    Preferred,
    #[default]
    Normal,
    Deprecated,
    #[serde(other)]
    Other,
}

/// A statement whose value is an item (P31, P27, P39, ...).
#[derive(Deserialize)]
pub(crate) struct ItemStatement<'a> {
    #[serde(borrow)]
    pub mainsnak: ItemSnak<'a>,
    #[serde(default)]
    pub rank: Rank,
    #[serde(default, borrow, deserialize_with = "map_or_empty")]
    pub qualifiers: Qualifiers<'a>,
}

#[derive(Deserialize)]
pub(crate) struct ItemSnak<'a> {
    /// Absent for "unknown value" and "no value" snaks.
    #[serde(borrow)]
    pub datavalue: Option<ItemData<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct ItemData<'a> {
    #[serde(borrow)]
    pub value: ItemValue<'a>,
}

#[derive(Deserialize)]
pub(crate) struct ItemValue<'a> {
    #[serde(rename = "numeric-id")]
    pub numeric_id: Option<u64>,
    #[serde(borrow)]
    pub id: Option<Cow<'a, str>>,
}

/// A statement whose value is a string (P297).
#[derive(Deserialize)]
pub(crate) struct StringStatement<'a> {
    #[serde(borrow)]
    pub mainsnak: StringSnak<'a>,
    #[serde(default)]
    pub rank: Rank,
}

#[derive(Deserialize)]
pub(crate) struct StringSnak<'a> {
    #[serde(borrow)]
    pub datavalue: Option<StringData<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct StringData<'a> {
    #[serde(borrow)]
    pub value: Cow<'a, str>,
}

/// Start and end time qualifiers.
#[derive(Deserialize, Default)]
pub(crate) struct Qualifiers<'a> {
    /// start time
    #[serde(rename = "P580", default, borrow)]
    pub start: Vec<TimeSnak<'a>>,
    /// end time
    #[serde(rename = "P582", default, borrow)]
    pub end: Vec<TimeSnak<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct TimeSnak<'a> {
    #[serde(borrow)]
    pub datavalue: Option<TimeData<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct TimeData<'a> {
    #[serde(borrow)]
    pub value: TimeValue<'a>,
}

#[derive(Deserialize)]
pub(crate) struct TimeValue<'a> {
    #[serde(borrow)]
    pub time: Cow<'a, str>,
    pub precision: Option<u8>,
}

impl ItemStatement<'_> {
    /// The QID of the statement's value (`None` for unknown or no value).
    pub(crate) fn qid(&self) -> Option<u64> {
        let value = &self.mainsnak.datavalue.as_ref()?.value;
        value
            .numeric_id
            .or_else(|| value.id.as_deref().and_then(super::parse_qid))
    }
}

/// The year of a time qualifier: `Known`, or `Unusable` when the dump gives less than a year
/// (a decade, a century), an unknown value, or a year outside 1000..=9999 (which the
/// `offices` format cannot hold).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Year {
    Absent,
    Known(i32),
    Unusable,
}

impl Year {
    /// The year as written in a draft row: empty when absent, `?` when unusable.
    pub(crate) fn code(self) -> String {
        match self {
            Year::Absent => String::new(),
            Year::Known(y) => y.to_string(),
            Year::Unusable => "?".to_string(),
        }
    }

    /// Reads [`Year::code`] back.
    pub(crate) fn from_code(code: &str) -> Option<Year> {
        match code {
            "" => Some(Year::Absent),
            "?" => Some(Year::Unusable),
            y => y.parse().ok().map(Year::Known),
        }
    }

    pub(crate) fn of(snaks: &[TimeSnak<'_>]) -> Year {
        let Some(snak) = snaks.first() else {
            return Year::Absent;
        };
        let Some(data) = &snak.datavalue else {
            return Year::Unusable;
        };
        // Precision 9 is a year; 10 a month, 11 a day. Below 9: decades, centuries, ...
        if data.value.precision.is_some_and(|p| p < 9) {
            return Year::Unusable;
        }
        let time = data.value.time.as_ref();
        let Some(digits) = time.strip_prefix('+') else {
            return Year::Unusable;
        };
        let year = digits.split('-').next().and_then(|y| y.parse::<i32>().ok());
        match year {
            Some(y) if (1000..=9999).contains(&y) => Year::Known(y),
            _ => Year::Unusable,
        }
    }
}

/// Wikidata writes an empty object as `[]` (a PHP empty array) in places: accept either.
fn map_or_empty<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct MapOrEmpty<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for MapOrEmpty<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object or an empty array")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            if seq.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(1, &self));
            }
            Ok(T::default())
        }

        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Ok(T::default())
        }
    }

    deserializer.deserialize_any(MapOrEmpty(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_ahead_passes_bytes_and_errors_in_order() {
        let data: Vec<u8> = (0..3 * BUFFER + 17).map(|i| (i % 251) as u8).collect();
        let mut copy = Vec::new();
        ReadAhead::spawn(io::Cursor::new(data.clone()))
            .unwrap()
            .read_to_end(&mut copy)
            .unwrap();
        assert_eq!(copy, data);

        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("broken"));
                }
                let n = self.0.min(buf.len());
                buf[..n].fill(b'x');
                self.0 -= n;
                Ok(n)
            }
        }
        let mut reader = ReadAhead::spawn(Failing(10)).unwrap();
        let mut copy = Vec::new();
        let e = reader.read_to_end(&mut copy).unwrap_err();
        assert_eq!((copy.len(), e.to_string().as_str()), (10, "broken"));
    }

    #[test]
    fn lines_are_bounded() {
        let text = b"[\nshort,\n0123456789abcdef\nend".to_vec();
        let mut lines = Lines::new(&text[..], 8);
        let mut seen = Vec::new();
        while let Some((n, line)) = lines.next_line().unwrap() {
            seen.push(match line {
                Line::Text(t) => format!("{n}:{}", String::from_utf8_lossy(t)),
                Line::TooLong(len) => format!("{n}:too long {len}"),
            });
        }
        assert_eq!(seen, ["1:[", "2:short,", "3:too long 16", "4:end"]);
    }

    #[test]
    fn array_lines_and_commas() {
        assert_eq!(entity_json(b"["), None);
        assert_eq!(entity_json(b"]"), None);
        assert_eq!(entity_json(b"\xef\xbb\xbf[\r"), None);
        assert_eq!(entity_json(b"  \r"), None);
        assert_eq!(entity_json(b"{\"a\":1},\r"), Some(&b"{\"a\":1}"[..]));
        assert_eq!(entity_json(b"{\"a\":1}"), Some(&b"{\"a\":1}"[..]));
    }

    #[test]
    fn empty_objects_written_as_arrays() {
        let e: Entity = serde_json::from_str(
            r#"{"type":"item","id":"Q1","labels":[],"aliases":[],"claims":{"P31":[{"mainsnak":{"snaktype":"value","datavalue":{"value":{"entity-type":"item","id":"Q5"},"type":"wikibase-entityid"}},"rank":"normal","qualifiers":[]}]},"sitelinks":[]}"#,
        )
        .unwrap();
        assert!(e.labels.en.is_none());
        assert_eq!(e.claims.instance_of[0].qid(), Some(5));
        assert!(
            serde_json::from_str::<Entity>(r#"{"type":"item","id":"Q1","labels":[1]}"#).is_err()
        );
    }

    #[test]
    fn years() {
        fn snak(time: &str, precision: u8) -> TimeSnak<'_> {
            TimeSnak {
                datavalue: Some(TimeData {
                    value: TimeValue {
                        time: time.into(),
                        precision: Some(precision),
                    },
                }),
            }
        }
        assert_eq!(Year::of(&[]), Year::Absent);
        assert_eq!(
            Year::of(&[snak("+1789-04-30T00:00:00Z", 11)]),
            Year::Known(1789)
        );
        assert_eq!(
            Year::of(&[snak("+2010-00-00T00:00:00Z", 9)]),
            Year::Known(2010)
        );
        assert_eq!(
            Year::of(&[snak("+1800-00-00T00:00:00Z", 7)]),
            Year::Unusable
        );
        assert_eq!(
            Year::of(&[snak("-0044-03-15T00:00:00Z", 11)]),
            Year::Unusable
        );
        assert_eq!(
            Year::of(&[snak("+0800-01-01T00:00:00Z", 11)]),
            Year::Unusable
        );
        assert_eq!(Year::of(&[TimeSnak { datavalue: None }]), Year::Unusable);
    }
}
