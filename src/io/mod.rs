//! Moving designs in and out of the page: the share-link codec (the design compressed in
//! the URL fragment). Pure: no web types, so it is tested natively.

pub mod share;
