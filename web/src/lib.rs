//! ML Provisioner's browser app. The logic lives in plain modules with native tests
//! (`share`, `review`, `editor`, `workbench`, `drafts`, `stack_view`); `app` holds the thin Leptos
//! components.

pub mod app;
pub mod drafts;
pub mod editor;
pub mod examples;
pub mod review;
pub mod share;
pub mod stack_view;
pub mod workbench;
