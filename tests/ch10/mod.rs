//! Grading tests for chapter 10. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-10` (grading) and `solutions-10` (verification).

mod channel_pipeline;
mod par_map;
mod pool;
mod server;
