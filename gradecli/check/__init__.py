"""`gradecli check`: validate and assess whole folders of evidence files for CI and pre-commit."""
