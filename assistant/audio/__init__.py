"""Audio at the edges: WAV files, microphone sources, speaker and file sinks."""
