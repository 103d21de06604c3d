//! A stateful mock of the service (feature `mock`).
