/// A published work a chapter runs or builds on: cited where the method is introduced
/// (`Report.cite`), listed with its identifier at the end of the chapter.
public struct Reference: Sendable, Hashable {
    /// The anchor of its entry: "ref-kingma-ba-2015".
    public let key: String
    /// "Kingma and Ba": how the text names the authors.
    public let citedAs: String
    public let year: Int
    /// The full entry's authors, title and venue.
    public let authors: String
    public let title: String
    public let venue: String
    /// "doi:10.1109/5.726791", "arXiv:1412.6980", or a stable address where the work has neither.
    public let identifier: String

    /// A link to the work from its identifier.
    public var link: String {
        if identifier.hasPrefix("doi:") { return "https://doi.org/" + identifier.dropFirst(4) }
        if identifier.hasPrefix("arXiv:") { return "https://arxiv.org/abs/" + identifier.dropFirst(6) }
        return identifier
    }

    /// The identifier as the list shows it.
    var shownIdentifier: String { identifier.hasPrefix("http") ? "online" : identifier }

    /// The entry in the chapter's list of references, with its anchor.
    public var entry: String {
        "<a id=\"\(key)\"></a>\(authors) (\(year)). \(title). *\(venue)*. [\(shownIdentifier)](\(link))"
    }
}

extension Reference {
    public static let saito2016 = Reference(
        key: "ref-saito-2016", citedAs: "Saito", year: 2016, authors: "Saito, K.",
        title: "ゼロから作るDeep Learning: Pythonで学ぶディープラーニングの理論と実装 (Deep Learning from Scratch)",
        venue: "O'Reilly Japan; the course's code: github.com/oreilly-japan/deep-learning-from-scratch",
        identifier: "https://github.com/oreilly-japan/deep-learning-from-scratch")
    public static let lecun1998 = Reference(
        key: "ref-lecun-1998", citedAs: "LeCun et al.", year: 1998, authors: "LeCun, Y., Bottou, L., Bengio, Y. and Haffner, P.",
        title: "Gradient-based learning applied to document recognition", venue: "Proceedings of the IEEE 86(11), 2278–2324",
        identifier: "doi:10.1109/5.726791")
    public static let xiao2017 = Reference(
        key: "ref-xiao-2017", citedAs: "Xiao et al.", year: 2017, authors: "Xiao, H., Rasul, K. and Vollgraf, R.",
        title: "Fashion-MNIST: a novel image dataset for benchmarking machine learning algorithms", venue: "arXiv preprint",
        identifier: "arXiv:1708.07747")
    public static let sutskever2013 = Reference(
        key: "ref-sutskever-2013", citedAs: "Sutskever et al.", year: 2013, authors: "Sutskever, I., Martens, J., Dahl, G. and Hinton, G.",
        title: "On the importance of initialization and momentum in deep learning",
        venue: "Proceedings of the 30th International Conference on Machine Learning, PMLR 28(3), 1139–1147",
        identifier: "https://proceedings.mlr.press/v28/sutskever13.html")
    public static let bengio2013 = Reference(
        key: "ref-bengio-2013", citedAs: "Bengio, Boulanger-Lewandowski and Pascanu", year: 2013,
        authors: "Bengio, Y., Boulanger-Lewandowski, N. and Pascanu, R.", title: "Advances in optimizing recurrent networks",
        venue: "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP), 8624–8628",
        identifier: "arXiv:1212.0901")
    public static let duchi2011 = Reference(
        key: "ref-duchi-2011", citedAs: "Duchi et al.", year: 2011, authors: "Duchi, J., Hazan, E. and Singer, Y.",
        title: "Adaptive subgradient methods for online learning and stochastic optimization",
        venue: "Journal of Machine Learning Research 12, 2121–2159", identifier: "https://jmlr.org/papers/v12/duchi11a.html")
    public static let tieleman2012 = Reference(
        key: "ref-tieleman-2012", citedAs: "Tieleman and Hinton", year: 2012, authors: "Tieleman, T. and Hinton, G.",
        title: "Lecture 6.5: RMSProp, divide the gradient by a running average of its recent magnitude",
        venue: "COURSERA: Neural Networks for Machine Learning (lecture slides)",
        identifier: "https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf")
    public static let kingma2015 = Reference(
        key: "ref-kingma-2015", citedAs: "Kingma and Ba", year: 2015, authors: "Kingma, D. P. and Ba, J.",
        title: "Adam: a method for stochastic optimization", venue: "International Conference on Learning Representations (ICLR)",
        identifier: "arXiv:1412.6980")
    public static let glorot2010 = Reference(
        key: "ref-glorot-2010", citedAs: "Glorot and Bengio", year: 2010, authors: "Glorot, X. and Bengio, Y.",
        title: "Understanding the difficulty of training deep feedforward neural networks",
        venue: "Proceedings of the 13th International Conference on Artificial Intelligence and Statistics, PMLR 9, 249–256",
        identifier: "https://proceedings.mlr.press/v9/glorot10a.html")
    public static let he2015 = Reference(
        key: "ref-he-2015", citedAs: "He et al.", year: 2015, authors: "He, K., Zhang, X., Ren, S. and Sun, J.",
        title: "Delving deep into rectifiers: surpassing human-level performance on ImageNet classification",
        venue: "IEEE International Conference on Computer Vision (ICCV), 1026–1034", identifier: "arXiv:1502.01852")
    public static let ioffe2015 = Reference(
        key: "ref-ioffe-2015", citedAs: "Ioffe and Szegedy", year: 2015, authors: "Ioffe, S. and Szegedy, C.",
        title: "Batch normalization: accelerating deep network training by reducing internal covariate shift",
        venue: "Proceedings of the 32nd International Conference on Machine Learning, PMLR 37, 448–456", identifier: "arXiv:1502.03167")
    public static let srivastava2014 = Reference(
        key: "ref-srivastava-2014", citedAs: "Srivastava et al.", year: 2014,
        authors: "Srivastava, N., Hinton, G., Krizhevsky, A., Sutskever, I. and Salakhutdinov, R.",
        title: "Dropout: a simple way to prevent neural networks from overfitting",
        venue: "Journal of Machine Learning Research 15, 1929–1958", identifier: "https://jmlr.org/papers/v15/srivastava14a.html")
    public static let gal2016 = Reference(
        key: "ref-gal-2016", citedAs: "Gal and Ghahramani", year: 2016, authors: "Gal, Y. and Ghahramani, Z.",
        title: "Dropout as a Bayesian approximation: representing model uncertainty in deep learning",
        venue: "Proceedings of the 33rd International Conference on Machine Learning, PMLR 48, 1050–1059", identifier: "arXiv:1506.02142")
    public static let krogh1992 = Reference(
        key: "ref-krogh-1992", citedAs: "Krogh and Hertz", year: 1992, authors: "Krogh, A. and Hertz, J. A.",
        title: "A simple weight decay can improve generalization", venue: "Advances in Neural Information Processing Systems 4, 950–957",
        identifier: "https://papers.nips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html")
    public static let bergstra2012 = Reference(
        key: "ref-bergstra-2012", citedAs: "Bergstra and Bengio", year: 2012, authors: "Bergstra, J. and Bengio, Y.",
        title: "Random search for hyper-parameter optimization", venue: "Journal of Machine Learning Research 13, 281–305",
        identifier: "https://jmlr.org/papers/v13/bergstra12a.html")
    public static let snoek2012 = Reference(
        key: "ref-snoek-2012", citedAs: "Snoek et al.", year: 2012, authors: "Snoek, J., Larochelle, H. and Adams, R. P.",
        title: "Practical Bayesian optimization of machine learning algorithms",
        venue: "Advances in Neural Information Processing Systems 25, 2951–2959", identifier: "arXiv:1206.2944")
    public static let li2018 = Reference(
        key: "ref-li-2018", citedAs: "Li et al.", year: 2018, authors: "Li, L., Jamieson, K., DeSalvo, G., Rostamizadeh, A. and Talwalkar, A.",
        title: "Hyperband: a novel bandit-based approach to hyperparameter optimization",
        venue: "Journal of Machine Learning Research 18(185), 1–52", identifier: "arXiv:1603.06560")
}
