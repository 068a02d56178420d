"""Stages 1-2: raw documents and their Albanian sentence segmentation and tokenization."""
