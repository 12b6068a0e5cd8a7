"""Data protection: the data map, anonymisation and erasure, subject access
requests, who read what and the retention schedule."""
