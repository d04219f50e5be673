/// The 12345 hotline text pipeline: ``TextNormalizer`` → hashed character n-grams → ``HotlineModel``
/// (softmax regression + linear SVM, temperature-calibrated), evaluated with ``HotlineCrossValidation``.
public enum HotlineModule {}
