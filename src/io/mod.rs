//! Moving designs in and out of the page: the share-link codec (the design compressed in
//! the URL fragment), the import of real Azure JSON (ARM templates, live resource JSON)
//! and the export of the design as an ARM template. Pure: no web types, so all three are
//! tested natively.

pub mod export;
pub mod import;
pub mod share;
