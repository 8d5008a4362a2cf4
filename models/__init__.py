"""Trained models shipped with the package (JSON, no pickle); rebuilt by tools/train_relations.py."""
