//! Grading tests for chapter 05. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-05` (grading) and `solutions-05` (verification).

mod child_result;
mod panicking_worker;
mod threads_or_processes;
