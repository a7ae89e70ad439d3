//! Small helpers every layer uses: HTML escaping, URL and path arithmetic, slugs.

pub mod html;
pub mod slug;
pub mod url;
