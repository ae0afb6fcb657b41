"""Segments: marketing tag expressions, parsed, checked and counted on a bitmap index."""
