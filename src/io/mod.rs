//! Moving designs in and out of the page: the share-link codec (the design compressed in
//! the URL fragment) and the import of real Azure JSON (ARM templates, live resource
//! JSON). Pure: no web types, so both are tested natively.

pub mod export;
pub mod import;
pub mod share;
