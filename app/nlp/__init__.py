"""Text processing: embeddings, sentence segmentation, lemmas."""
