"""The trilingual summary report: number formatting, wording, rendering."""
