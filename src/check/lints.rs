//! Every kind of finding planboek reports, with its stable code and default severity.

use super::{Lint, Severity::*};

const fn lint(code: &'static str, name: &'static str, default: super::Severity) -> Lint {
    Lint { code, name, default }
}

// Loading: files and configuration.
pub const IO_ERROR: Lint = lint("P0001", "unreadable-file", Error);
pub const INVALID_UTF8: Lint = lint("P0002", "invalid-utf8", Error);
pub const SYMLINK_LOOP: Lint = lint("P0003", "symlink-loop", Warning);
pub const DUPLICATE_OUTPUT: Lint = lint("P0004", "duplicate-output", Error);
pub const CONFIG: Lint = lint("P0005", "invalid-config", Error);
pub const STRAY_FILE: Lint = lint("P0006", "file-outside-plan", Error);
pub const THEME: Lint = lint("P0007", "theme-error", Error);
pub const OUTPUT: Lint = lint("P0008", "output-error", Error);

// Front matter.
pub const FM_UNTERMINATED: Lint = lint("P0011", "unterminated-front-matter", Error);
pub const FM_SYNTAX: Lint = lint("P0012", "front-matter-syntax", Error);
pub const FM_SCHEMA: Lint = lint("P0013", "front-matter-schema", Error);
pub const MISSING_TITLE: Lint = lint("P0014", "missing-title", Error);

// Template blanks.
pub const UNFILLED_PLACEHOLDER: Lint = lint("P0101", "unfilled-placeholder", Warning);
pub const GUIDANCE_LEFT: Lint = lint("P0102", "guidance-left", Warning);
pub const UNDECIDED_CHOICE: Lint = lint("P0103", "undecided-choice", Warning);

// Links.
pub const BROKEN_LINK: Lint = lint("P0201", "broken-link", Error);
pub const LINK_TO_REMOVED: Lint = lint("P0202", "link-to-removed-section", Warning);
pub const UNSAFE_URL: Lint = lint("P0203", "unsafe-url", Warning);
pub const RAW_HTML_REMOVED: Lint = lint("P0204", "raw-html-sanitized", Info);

/// Every lint, for `[check] levels` validation and documentation.
pub const ALL: &[Lint] = &[
    IO_ERROR,
    INVALID_UTF8,
    SYMLINK_LOOP,
    DUPLICATE_OUTPUT,
    CONFIG,
    STRAY_FILE,
    THEME,
    OUTPUT,
    FM_UNTERMINATED,
    FM_SYNTAX,
    FM_SCHEMA,
    MISSING_TITLE,
    UNFILLED_PLACEHOLDER,
    GUIDANCE_LEFT,
    UNDECIDED_CHOICE,
    BROKEN_LINK,
    LINK_TO_REMOVED,
    UNSAFE_URL,
    RAW_HTML_REMOVED,
];
