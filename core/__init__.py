"""The ground floor: helpers every app may use and that know nothing of any app."""
