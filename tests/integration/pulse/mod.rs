//! Known-answer tests of `dsp::pulse` (the library under `measure` and `find`): generated
//! signals fed at several chunk sizes. The commands themselves are tested in `measure.rs`
//! and `find.rs` of this binary.

mod find;
mod measure;
pub mod signals;
