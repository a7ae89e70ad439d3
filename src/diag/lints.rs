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
pub const SYMLINK_OUTSIDE: Lint = lint("P0009", "symlink-outside-root", Warning);

// Front matter.
pub const FM_UNTERMINATED: Lint = lint("P0011", "unterminated-front-matter", Error);
pub const FM_SYNTAX: Lint = lint("P0012", "front-matter-syntax", Error);
pub const FM_UNKNOWN_KEY: Lint = lint("P0013", "unknown-key", Error);
pub const FM_WRONG_TYPE: Lint = lint("P0014", "wrong-type", Error);
pub const FM_INVALID_DATE: Lint = lint("P0015", "invalid-date", Error);
pub const FM_INVALID_VALUE: Lint = lint("P0016", "invalid-value", Error);
pub const MISSING_TITLE: Lint = lint("P0017", "missing-title", Error);
pub const FM_MISPLACED: Lint = lint("P0018", "misplaced-front-matter", Error);

// Template blanks.
pub const UNFILLED_PLACEHOLDER: Lint = lint("P0101", "unfilled-placeholder", Warning);
pub const GUIDANCE_LEFT: Lint = lint("P0102", "guidance-left", Warning);
pub const UNDECIDED_CHOICE: Lint = lint("P0103", "undecided-choice", Warning);
pub const EMPTY_SECTION: Lint = lint("P0104", "empty-section", Warning);
pub const MISSING_SECTION: Lint = lint("P0105", "missing-section", Warning);

// Links.
pub const BROKEN_LINK: Lint = lint("P0201", "broken-link", Error);
pub const LINK_TO_REMOVED: Lint = lint("P0202", "link-to-removed-section", Warning);
pub const UNSAFE_URL: Lint = lint("P0203", "unsafe-url", Warning);
pub const RAW_HTML_REMOVED: Lint = lint("P0204", "raw-html-sanitized", Info);
pub const IMAGE_NO_ALT: Lint = lint("P0205", "image-without-alt", Warning);
pub const MISSING_ANCHOR: Lint = lint("P0206", "missing-anchor", Error);
pub const REMOTE_IMAGE: Lint = lint("P0207", "remote-image", Warning);

// Plan logic.
pub const ACTION_WHO: Lint = lint("P0301", "action-who-not-partner", Warning);
pub const OWNER_NOT_PARTNER: Lint = lint("P0302", "owner-not-partner", Warning);
pub const DUPLICATE_ACTION_ID: Lint = lint("P0303", "duplicate-action-id", Error);
pub const OVERDUE_ACTION: Lint = lint("P0304", "overdue-action", Warning);
pub const MISSING_EVALUATION: Lint = lint("P0305", "missing-evaluation", Warning);
pub const DATE_ORDER: Lint = lint("P0306", "date-order", Warning);
pub const ADOPTED_WITH_CONCEPT: Lint = lint("P0307", "adopted-with-concept", Warning);

// Structure.
pub const HEADING_SKIP: Lint = lint("P0401", "heading-skips-level", Warning);
pub const DUPLICATE_HEADING_ID: Lint = lint("P0402", "duplicate-heading-id", Warning);
pub const DUPLICATE_TITLE: Lint = lint("P0403", "duplicate-title", Warning);

// Personal data in a section below `vertrouwelijk` (an error in an `openbaar` build).
pub const PERSONAL_BSN: Lint = lint("P0501", "bsn", Warning);
pub const PERSONAL_BIRTH_DATE: Lint = lint("P0502", "date-of-birth", Warning);
pub const PERSONAL_PHONE: Lint = lint("P0503", "phone-number", Warning);
pub const PERSONAL_EMAIL: Lint = lint("P0504", "personal-email", Warning);
pub const PERSONAL_PLATE: Lint = lint("P0505", "licence-plate", Warning);

/// The personal-data lints, whose findings are errors in an `openbaar` build.
pub const PERSONAL_DATA: &[Lint] = &[PERSONAL_BSN, PERSONAL_BIRTH_DATE, PERSONAL_PHONE, PERSONAL_EMAIL, PERSONAL_PLATE];

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
    SYMLINK_OUTSIDE,
    FM_UNTERMINATED,
    FM_SYNTAX,
    FM_UNKNOWN_KEY,
    FM_WRONG_TYPE,
    FM_INVALID_DATE,
    FM_INVALID_VALUE,
    MISSING_TITLE,
    FM_MISPLACED,
    UNFILLED_PLACEHOLDER,
    GUIDANCE_LEFT,
    UNDECIDED_CHOICE,
    EMPTY_SECTION,
    MISSING_SECTION,
    BROKEN_LINK,
    LINK_TO_REMOVED,
    UNSAFE_URL,
    RAW_HTML_REMOVED,
    IMAGE_NO_ALT,
    MISSING_ANCHOR,
    REMOTE_IMAGE,
    ACTION_WHO,
    OWNER_NOT_PARTNER,
    DUPLICATE_ACTION_ID,
    OVERDUE_ACTION,
    MISSING_EVALUATION,
    DATE_ORDER,
    ADOPTED_WITH_CONCEPT,
    HEADING_SKIP,
    DUPLICATE_HEADING_ID,
    DUPLICATE_TITLE,
    PERSONAL_BSN,
    PERSONAL_BIRTH_DATE,
    PERSONAL_PHONE,
    PERSONAL_EMAIL,
    PERSONAL_PLATE,
];
