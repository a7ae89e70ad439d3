//! File line and column of byte offsets, in the original text or the marker-rewritten one.

use super::blanks::Blank;

/// Maps offsets of the parsed (rewritten) text back to lines and columns of the file.
pub struct Positions<'t> {
    text: &'t str,
    body_line: u32,
    /// The last offset asked for, its 0-based line and (if computed) its 0-based column:
    /// findings come mostly in text order, so counting goes on from there.
    cursor: (usize, usize, Option<usize>),
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, body_line: u32) -> Self {
        Positions { text, body_line, cursor: (0, 0, Some(0)) }
    }

    /// The offset in the original text of offset `new` of the rewritten one.
    pub fn orig(blanks: &[Blank], new: usize) -> usize {
        let after = blanks.partition_point(|b| b.new.start <= new);
        match after.checked_sub(1).and_then(|i| blanks.get(i)) {
            None => new,
            Some(b) if new < b.new.end => b.orig.start,
            Some(b) => new - b.new.end + b.orig.end,
        }
    }

    /// File line of original offset `orig`.
    pub fn line(&mut self, orig: usize) -> u32 {
        let orig = self.boundary(orig);
        self.advance(orig);
        self.file_line()
    }

    /// File line and 1-based character column of original offset `orig`.
    pub fn line_col(&mut self, orig: usize) -> (u32, u32) {
        let orig = self.boundary(orig);
        let (from, same_line_col) = self.advance(orig);
        let column = match same_line_col {
            Some(col) => col + self.text.get(from..orig).map_or(0, |s| s.chars().count()),
            None => {
                let before = self.text.get(..orig).unwrap_or_default();
                let start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
                before.get(start..).map_or(0, |s| s.chars().count())
            }
        };
        self.cursor.2 = Some(column);
        (self.file_line(), u32::try_from(column + 1).unwrap_or(u32::MAX))
    }

    /// Moves the cursor to `orig`; returns where it came from and, when no line break lies
    /// between, the column there.
    fn advance(&mut self, orig: usize) -> (usize, Option<usize>) {
        let (from, line, column) = if self.cursor.0 <= orig { self.cursor } else { (0, 0, Some(0)) };
        // The memchr crate's vectorised search: every position's line is counted this way.
        let newlines = self.text.get(from..orig).map_or(0, |s| memchr::memchr_iter(b'\n', s.as_bytes()).count());
        self.cursor = (orig, line + newlines, None);
        (from, column.filter(|_| newlines == 0))
    }

    fn file_line(&self) -> u32 {
        let line = u32::try_from(self.cursor.1).unwrap_or(u32::MAX);
        self.body_line.saturating_add(line)
    }

    /// `orig` clamped to the text and moved back to a character boundary.
    fn boundary(&self, orig: usize) -> usize {
        let mut orig = orig.min(self.text.len());
        while !self.text.is_char_boundary(orig) {
            orig -= 1;
        }
        orig
    }
}

#[cfg(test)]
mod tests {
    use super::super::blanks::scan;
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "een\r\ntwee\nédrie <NAAM> x";
        let mut p = Positions::new(text, 5);
        assert_eq!(p.line_col(0), (5, 1));
        assert_eq!(p.line_col(5), (6, 1));
        let x = text.find('x').unwrap();
        assert_eq!(p.line_col(x), (7, 14));
        assert_eq!(p.line_col(text.len() + 10), (7, 15));
        assert_eq!(p.line_col(6), (6, 2));
        assert_eq!(p.line(x), 7);
        assert_eq!(p.line_col(x + 1), (7, 15));
    }

    #[test]
    fn maps_rewritten_offsets_back() {
        let text = "ab <NAAM> cd <X> ef";
        let s = scan(text);
        let new_c = s.src.find('c').unwrap();
        assert_eq!(Positions::orig(&s.blanks, new_c), text.find('c').unwrap());
        assert_eq!(Positions::orig(&s.blanks, s.blanks[1].new.start + 1), text.find("<X>").unwrap());
        assert_eq!(Positions::orig(&s.blanks, 1), 1);
    }
}
