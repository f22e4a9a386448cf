//! The page (yew components), compiled for wasm32 only.
