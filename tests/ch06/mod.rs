//! Grading tests for chapter 06. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-06` (grading) and `solutions-06` (verification).

mod classify_task;
mod middle_half;
mod ping_pong;
