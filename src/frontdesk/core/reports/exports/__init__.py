"""Report exports: CSV and XLSX files of a report, written by a job with its progress."""
