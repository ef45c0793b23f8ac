//! Components rendered on the server (and, for islands, woken up in the browser).

pub mod charts;
pub mod form;
pub mod islands;
pub mod layout;
