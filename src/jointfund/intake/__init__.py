"""Readers that turn input files into validated records, every problem located."""
