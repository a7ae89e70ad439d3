//! Loading a plan repository from disk into the model, and the audience filter.

mod model;

pub use model::*;
