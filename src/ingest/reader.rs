//! Reading log files: plain or gzip (by magic bytes), from a byte offset, as physical lines with
//! their offsets. A last line without its newline is held back until it is complete, unless the
//! caller says the file is finished.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::parser::RawLine;

/// Bytes of the start of a file kept to recognise it later (after rotation or compression).
pub const FINGERPRINT_LEN: usize = 1024;
/// A "line" longer than this is cut, so that a file without newlines cannot exhaust memory.
const MAX_LINE: usize = 64 << 20;
const CHUNK: usize = 256 << 10;

/// What a file is before reading it.
#[derive(Debug, Clone)]
pub struct Probe {
    pub compressed: bool,
    /// The first bytes of the content (decompressed).
    pub head: Vec<u8>,
    pub size: u64,
    pub mtime: i64,
    pub dev: Option<u64>,
    pub inode: Option<u64>,
}

impl Probe {
    pub fn fingerprint(&self) -> Vec<u8> {
        self.head[..self.head.len().min(FINGERPRINT_LEN)].to_vec()
    }

    /// A heuristic: more than a tenth of the first bytes are control bytes no text log has.
    pub fn looks_binary(&self) -> bool {
        let sample = &self.head[..self.head.len().min(8192)];
        if sample.is_empty() {
            return false;
        }
        let odd = sample
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
            .count();
        odd * 10 > sample.len()
    }
}

fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

#[cfg(unix)]
fn ids(meta: &std::fs::Metadata) -> (Option<u64>, Option<u64>) {
    use std::os::unix::fs::MetadataExt;
    (Some(meta.dev()), Some(meta.ino()))
}

#[cfg(not(unix))]
fn ids(_meta: &std::fs::Metadata) -> (Option<u64>, Option<u64>) {
    (None, None)
}

pub fn mtime_ms(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64)
}

/// Looks at a file without consuming it.
pub fn probe(path: &Path) -> io::Result<Probe> {
    let mut f = File::open(path)?;
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    let mut raw = vec![0u8; 8192];
    let n = read_up_to(&mut f, &mut raw)?;
    raw.truncate(n);
    let compressed = is_gzip(&raw);
    let head = if compressed {
        f.seek(SeekFrom::Start(0))?;
        let mut d = MultiGzDecoder::new(BufReader::new(f));
        let mut buf = vec![0u8; 8192];
        let n = read_up_to(&mut d, &mut buf)?;
        buf.truncate(n);
        buf
    } else {
        raw
    };
    let (dev, inode) = ids(&meta);
    Ok(Probe {
        compressed,
        head,
        size: meta.len(),
        mtime: mtime_ms(&meta),
        dev,
        inode,
    })
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Opens a file positioned at `offset` of its (decompressed) content.
pub fn open_at(path: &Path, compressed: bool, offset: u64) -> io::Result<Box<dyn Read + Send>> {
    let mut f = File::open(path)?;
    if !compressed {
        f.seek(SeekFrom::Start(offset))?;
        return Ok(Box::new(f));
    }
    let mut d = MultiGzDecoder::new(BufReader::with_capacity(CHUNK, f));
    let skipped = io::copy(&mut (&mut d).take(offset), &mut io::sink())?;
    if skipped < offset {
        return Err(io::Error::other(format!(
            "compressed content is shorter ({skipped} bytes) than the checkpoint ({offset})"
        )));
    }
    Ok(Box::new(d))
}

/// Splits a byte stream into lines with their offsets.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    filled: usize,
    /// Offset of `buf[start]` in the content.
    pos: u64,
    /// Number of the next line.
    line: u64,
    bytes_read: u64,
}

impl<R: Read> LineReader<R> {
    /// `offset`/`line` are where `inner` starts: the checkpoint.
    pub fn new(inner: R, offset: u64, lines_before: u64) -> LineReader<R> {
        LineReader {
            inner,
            buf: vec![0; CHUNK],
            start: 0,
            filled: 0,
            pos: offset,
            line: lines_before + 1,
            bytes_read: 0,
        }
    }

    /// Bytes consumed from the underlying reader so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Offset just past the last line handed out.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Number of the last line handed out (0 before the first).
    pub fn lines_read(&self) -> u64 {
        self.line - 1
    }

    /// Bytes of an incomplete last line waiting for its newline.
    pub fn pending(&self) -> usize {
        self.filled - self.start
    }

    /// The next complete line. At the end of the data, an unterminated last line is returned
    /// only when `finished` (the file is complete); otherwise it waits for more data.
    pub fn next_line(&mut self, finished: bool) -> io::Result<Option<RawLine<'_>>> {
        loop {
            let window = &self.buf[self.start..self.filled];
            if let Some(i) = memchr::memchr(b'\n', window) {
                return Ok(Some(self.take(i, i + 1)));
            }
            if window.len() >= MAX_LINE {
                let n = window.len();
                return Ok(Some(self.take(n, n)));
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.filled, 0);
                self.filled -= self.start;
                self.start = 0;
            }
            if self.filled == self.buf.len() {
                let grow = self.buf.len().min(MAX_LINE);
                self.buf.resize(self.buf.len() + grow, 0);
            }
            let n = match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.bytes_read += n as u64;
            if n == 0 {
                let rest = self.filled - self.start;
                if finished && rest > 0 {
                    return Ok(Some(self.take(rest, rest)));
                }
                if self.buf.len() > CHUNK && rest < CHUNK {
                    self.buf.truncate(CHUNK.max(self.filled));
                }
                return Ok(None);
            }
            self.filled += n;
        }
    }

    fn take(&mut self, len: usize, consumed: usize) -> RawLine<'_> {
        let offset = self.pos;
        let number = self.line;
        let s = self.start;
        self.start += consumed;
        self.pos += consumed as u64;
        self.line += 1;
        RawLine {
            bytes: &self.buf[s..s + len],
            offset,
            end: offset + consumed as u64,
            number,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], finished: bool) -> Vec<(Vec<u8>, u64, u64, u64)> {
        let mut r = LineReader::new(data, 0, 0);
        let mut out = Vec::new();
        while let Some(l) = r.next_line(finished).unwrap() {
            out.push((l.bytes.to_vec(), l.offset, l.end, l.number));
        }
        out
    }

    #[test]
    fn splits_lines_with_offsets() {
        let got = lines(b"ab\r\n\ncd", true);
        assert_eq!(
            got,
            vec![
                (b"ab\r".to_vec(), 0, 4, 1),
                (b"".to_vec(), 4, 5, 2),
                (b"cd".to_vec(), 5, 7, 3)
            ]
        );
    }

    #[test]
    fn holds_back_a_half_written_line() {
        let got = lines(b"one\ntw", false);
        assert_eq!(got.len(), 1);
        let mut r = LineReader::new(&b"one\ntw"[..], 0, 0);
        assert!(r.next_line(false).unwrap().is_some());
        assert!(r.next_line(false).unwrap().is_none());
        assert_eq!(r.pending(), 2);
        assert_eq!(r.position(), 4);
    }

    #[test]
    fn long_lines_grow_the_buffer() {
        let mut data = vec![b'x'; 3 * CHUNK + 17];
        data.push(b'\n');
        data.extend_from_slice(b"tail\n");
        let got = lines(&data, true);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), 3 * CHUNK + 17);
        assert_eq!(got[1].1, 3 * CHUNK as u64 + 18);
    }

    #[test]
    fn starts_counting_at_the_checkpoint() {
        let mut r = LineReader::new(&b"x\n"[..], 100, 9);
        let l = r.next_line(true).unwrap().unwrap();
        assert_eq!((l.offset, l.end, l.number), (100, 102, 10));
    }

    #[test]
    fn gzip_is_read_by_content_not_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plain-name.log");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, b"first\nsecond\n").unwrap();
        std::fs::write(&p, enc.finish().unwrap()).unwrap();
        let pr = probe(&p).unwrap();
        assert!(pr.compressed);
        assert_eq!(pr.head, b"first\nsecond\n");
        let mut r = LineReader::new(open_at(&p, true, 6).unwrap(), 6, 1);
        let l = r.next_line(true).unwrap().unwrap();
        assert_eq!((l.bytes, l.number), (&b"second"[..], 2));
    }

    #[test]
    fn binary_files_are_told_apart_from_logs_with_odd_bytes() {
        let p = |head: Vec<u8>| Probe {
            compressed: false,
            head,
            size: 0,
            mtime: 0,
            dev: None,
            inode: None,
        };
        assert!(p(vec![0u8; 4096]).looks_binary());
        let mut text = b"2026-11-02 ok\n".repeat(100);
        text.extend_from_slice(b"nul \0 inside\n");
        assert!(!p(text).looks_binary());
        assert!(!p(Vec::new()).looks_binary());
    }
}
