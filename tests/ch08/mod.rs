//! Grading tests for chapter 08. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-08` (grading) and `solutions-08` (verification).

mod locked_increment;
mod predict_speedup;
mod processes;
mod release_sleep;
