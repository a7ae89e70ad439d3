//! The theme: embedded default templates and static files, site overrides, and the pages
//! built from the model.
