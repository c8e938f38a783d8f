// `make bench`: this project's training against the same work in NumPy and against the machine's
// own sgemm speed, all measured in this one run; then the cost ledger of the last reports.
import Datasets
import Engine
import Foundation
import NeuralNet
import NumericCore
import Runs

BLASRuntime.configure()
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1000
let batchSize = 128
let widths = [784, 100, 100, 100, 100, 10]
let benchFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let repository = benchFolder.deletingLastPathComponent()

/// The best of `repeats` timings: noise from the rest of the machine only ever adds time.
func seconds(repeats: Int = 3, _ body: () -> Void) -> Double {
    (0..<repeats).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }.min()!
}

/// Every matrix product of one training step, with the transposes the layers use.
func stepProducts() -> [(Matrix<Float>, Matrix<Float>, Matrix<Float>, Bool, Bool)] {
    var products: [(Matrix<Float>, Matrix<Float>, Matrix<Float>, Bool, Bool)] = []
    for (index, (n, m)) in zip(widths, widths.dropFirst()).enumerated() {
        let x = Matrix<Float>(rows: batchSize, columns: n, repeating: 0.5)
        let w = Matrix<Float>(rows: n, columns: m, repeating: 0.01)
        let dy = Matrix<Float>(rows: batchSize, columns: m, repeating: 0.1)
        products.append((Matrix(rows: 0, columns: 0), x, w, false, false))        // forward: x W
        products.append((Matrix(rows: 0, columns: 0), x, dy, true, false))       // dW = xᵀ dy
        if index > 0 { products.append((Matrix(rows: 0, columns: 0), dy, w, false, true)) }  // dx = dy Wᵀ
    }
    return products
}

func flops(_ products: [(Matrix<Float>, Matrix<Float>, Matrix<Float>, Bool, Bool)]) -> Double {
    products.reduce(0) { total, p in
        let m = p.3 ? p.1.columns : p.1.rows, k = p.3 ? p.1.rows : p.1.columns, n = p.4 ? p.2.rows : p.2.columns
        return total + 2 * Double(m * n * k)
    }
}

/// Runs a Python script of bench/ with NumPy's own BLAS: the variables this process set for
/// Debian's OpenBLAS are removed from its environment (NumPy's bundled OpenBLAS recognises this CPU
/// by itself), and it runs on one thread, as every run here does.
func python(_ script: String, _ arguments: [String]) -> [Substring]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", benchFolder.appendingPathComponent(script).path] + arguments
    var environment = ProcessInfo.processInfo.environment
    for name in ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LEARNING_TECHNIQUES_BLAS_RESTARTED"] { environment[name] = nil }
    environment["OPENBLAS_NUM_THREADS"] = "1"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return output.split(separator: " ")
}

func us(_ t: Double?) -> String { t.map { String(format: "%8.1f µs", $0 * 1e6) } ?? "   (failed)" }

// 1. The machine's sgemm speed: at a large square size, and at exactly the step's shapes.
let bigRate = MachineSpeed.sgemm()
let products = stepProducts()
let stepFlops = flops(products)
let cpu = CPUBackend<Float>()
for p in products { cpu.multiply(p.1, p.2, into: p.0, transposeA: p.3, transposeB: p.4) }
let gemmTime = seconds { for _ in 0..<iterations { for p in products { cpu.multiply(p.1, p.2, into: p.0, transposeA: p.3, transposeB: p.4) } } } / Double(iterations)
let stepRate = stepFlops / gemmTime / 1e9

// 2. This project's whole training step (Adam, batch 128), one run, then two runs side by side.
let data = try Dataset.load(.mnist5k)
let configuration = NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu, weightInitialization: .he)
func trainOnce(seed: UInt64, steps: Int) {
    let trainer = Trainer(training: data.training, batchSize: batchSize, seed: seed)
    _ = trainer.train(Network<Float>(configuration, seed: seed, backend: CPUBackend()), optimizer: .adam(), .iterations(steps))
}
trainOnce(seed: 1, steps: 50)
let singleTime = seconds { trainOnce(seed: 1, steps: iterations) } / Double(iterations)
_ = runInParallel([2, 3] as [UInt64], workers: 2) { trainOnce(seed: $0, steps: 50) }
let pairTime = seconds { _ = runInParallel([2, 3] as [UInt64], workers: 2) { trainOnce(seed: $0, steps: iterations) } } / Double(2 * iterations)

// 3. The same step in NumPy.
let numpy64 = python("numpy_step.py", [String(max(iterations / 2, 100)), "float64"]).flatMap { $0.dropFirst().first }.flatMap { Double($0) }.map { $0 / 1e6 }
let numpy32 = python("numpy_step.py", [String(max(iterations / 2, 100)), "float32"]).flatMap { $0.dropFirst().first }.flatMap { Double($0) }.map { $0 / 1e6 }

print("BLAS: \(BLASRuntime.summary)")
print("Training step: 784-100-100-100-100-10 ReLU, He, Adam, batch \(batchSize); each time is the best of 3 runs of \(iterations) iterations")
print("")
print(String(format: "sgemm, 1024x1024x1024, 1 thread          %8.1f GFLOP/s", bigRate))
print(String(format: "sgemm, the step's %2d products, 1 thread  %8.1f GFLOP/s  (%.1f MFLOP, %@ per step)",
             products.count, stepRate, stepFlops / 1e6, us(gemmTime)))
print("")
print("time per training iteration")
print("  this project, Float32, one run                \(us(singleTime))")
print("  this project, Float32, two runs side by side  \(us(pairTime))  (wall time / iterations of both)")
print("  numpy, float64 (the reference's dtype)        \(us(numpy64))")
print("  numpy, float32                                \(us(numpy32))")
print("")
print(String(format: "products alone take %.0f%% of this project's step (the rest: batch gather, activations, softmax, Adam)",
             gemmTime / singleTime * 100))
if let numpy64 {
    print(String(format: "one run vs numpy float64: %.1fx; both cores vs numpy float64: %.1fx", numpy64 / singleTime, numpy64 / pairTime))
}

// 4. K networks on the same mini-batches: the search's network (784, six hidden layers of 100, 10;
// SGD at 0.01, batch 100) on 400 training images. This project trains each network alone, in the
// usual form or in the dual form of SGD that the chapters use for this network (see
// DualFirstLayer). The NumPy reference measures both ways: each network alone, and in lockstep,
// the K first layers side by side in one wide product for the forward pass and one for the weight
// gradients: what grouping networks could buy at best (it changes how each column rounds, which
// is why this project does not group them).
let search = NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 6), activation: .relu, weightInitialization: .he)
let images = data.training.prefix(400)
let shared = InnerProducts(images.samples)
print("")
print("K networks on the same mini-batches: 784-100x6-10 ReLU, SGD, batch 100, 400 images, one thread; time per network-step, best of 3")
print("     K   usual form    dual form  usual/dual  |  numpy alone  numpy lockstep  numpy alone/lockstep  |  numpy alone / this dual")
for k in [1, 2, 6, 10, 100] {
    let steps = max(10, 600 / k)
    func train(_ form: Trainer<Float>.FirstLayerForm) {
        for seed in 1...UInt64(k) {
            let trainer = Trainer(training: images, batchSize: 100, seed: 1, innerProducts: shared)
            trainer.firstLayerForm = form
            _ = trainer.train(Network<Float>(search, seed: seed, backend: CPUBackend()), optimizer: .sgd(learningRate: 0.01), .iterations(steps))
        }
    }
    train(.usual); train(.dual)
    let perStep = Double(k * steps)
    let u = seconds { train(.usual) } / perStep, d = seconds { train(.dual) } / perStep
    let numpy = python("numpy_lockstep.py", [String(k), String(max(3, 60 / k)), "float32"])
    let na = numpy.flatMap { $0.dropFirst(2).first }.flatMap { Double($0) }.map { $0 / 1e6 }
    let nt = numpy.flatMap { $0.dropFirst(3).first }.flatMap { Double($0) }.map { $0 / 1e6 }
    print(String(format: "  %4d  %@  %@  %8.2fx   |  %@  %@   %14@      |  %.1fx",
                 k, us(u), us(d), u / d, us(na), us(nt), na.flatMap { a in nt.map { String(format: "%.2fx", a / $0) } } ?? "—",
                 na.map { $0 / d } ?? .nan))
}

// 5. The cost ledger of the reports in output/ (each run's cost as stored when it was trained),
// beside the NumPy step's share of the same limit, measured above.
if let numpy32 {
    print("")
    print(String(format: "numpy's training step (float32, section 2) runs its products at %.0f%% of single-thread sgemm; this project's at %.0f%%",
                 100 * stepFlops / numpy32 / 1e9 / bigRate, 100 * stepFlops / singleTime / 1e9 / bigRate))
}
for edition in ["", "fashion-mnist/"] {
    let names = ((try? String(contentsOf: repository.appendingPathComponent("chapters/chapters.list"), encoding: .utf8)) ?? "")
        .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    let rows = names.compactMap { name -> String? in
        let url = repository.appendingPathComponent("output/\(edition)\(name)/provenance.json")
        guard let data = try? Data(contentsOf: url), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cost = object["cost"] as? [String: Double] else { return nil }
        return String(format: "  %-16@ %6.0f %8.0f %10.2f %10.2f %10.1f s %8.0f  %5.0f%% of %.1f",
                      name, cost["networks"] ?? 0, cost["epochs"] ?? 0, (cost["training_flops"] ?? 0) / 1e12, (cost["evaluation_flops"] ?? 0) / 1e12,
                      cost["core_seconds"] ?? 0, cost["gflops_per_core"] ?? 0, 100 * (cost["share_of_limit"] ?? 0), cost["sgemm_gflops_one_thread"] ?? 0)
    }
    guard !rows.isEmpty else { continue }
    print("")
    print("The cost ledger of output/\(edition) (from each chapter's provenance.json: every run's cost when it was trained; the limit is single-thread sgemm then)")
    print("  chapter          networks  epochs  train TFLOP  eval TFLOP  core-seconds  GFLOP/s per core  share of the limit")
    rows.forEach { print($0) }
}
