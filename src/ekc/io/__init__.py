"""Reading raw exports (CSV, Excel, SPSS) as text, and writing results atomically."""
