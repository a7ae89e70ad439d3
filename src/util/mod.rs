//! Small helpers every layer uses: HTML escaping, URL and path arithmetic, slugs, and
//! containment of paths in the site root.

pub mod fs;
pub mod html;
pub mod slug;
pub mod url;
