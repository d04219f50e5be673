/// The 12345 hotline text pipeline (see HotlineClassifier).
public enum HotlineModule {}
