//! The log writer: every line goes to stderr with the receiver's secrets scrubbed, whatever
//! level it was logged at and whatever error text it carries.

/// `tracing_subscriber`'s writer for stderr, scrubbing secrets (see `core::secrets`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ScrubbedStderr;

/// One write to stderr, scrubbed.
#[derive(Debug)]
pub struct ScrubbedLine;

impl std::io::Write for ScrubbedLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let clean = crate::core::secrets::scrub(&text);
        std::io::Write::write_all(&mut std::io::stderr().lock(), clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::Write::flush(&mut std::io::stderr())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for ScrubbedStderr {
    type Writer = ScrubbedLine;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbedLine
    }
}
