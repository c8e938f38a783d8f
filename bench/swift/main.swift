// `make bench`: the training step of this project against the same step in NumPy, and against the
// machine's own sgemm speed, all measured in this one run.
import Datasets
import Runs
import Foundation
import NeuralNet
import NumericCore

BLASRuntime.configure()
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1000
let batchSize = 128
let widths = [784, 100, 100, 100, 100, 10]

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

// 1. The machine's sgemm speed: at a large square size, and at exactly the step's shapes.
let big = Matrix<Float>(rows: 1024, columns: 1024, repeating: 0.5), bigOut = Matrix<Float>(rows: 0, columns: 0)
bigOut.assignProduct(big, big)
let bigTime = seconds { for _ in 0..<10 { bigOut.assignProduct(big, big) } } / 10
let bigRate = 2 * pow(1024, 3) / bigTime / 1e9
let products = stepProducts()
let stepFlops = flops(products)
for p in products { p.0.assignProduct(p.1, p.2, transposeA: p.3, transposeB: p.4) }
let gemmTime = seconds { for _ in 0..<iterations { for p in products { p.0.assignProduct(p.1, p.2, transposeA: p.3, transposeB: p.4) } } } / Double(iterations)
let stepRate = stepFlops / gemmTime / 1e9

// 2. This project's whole training step (Adam, batch 128), one run, then two runs side by side.
let data = try Dataset.load(.mnist)
let configuration = NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu, weightInitialization: .he)
func trainer(seed: UInt64) -> Trainer<Float> {
    Trainer(network: Network<Float>(configuration, seed: seed), optimizer: OptimizerSpec.adam().make(Float.self),
            training: data.training, batchSize: batchSize, seed: seed)
}
let single = trainer(seed: 1)
_ = single.run(iterations: 50)
let singleTime = seconds { _ = single.run(iterations: iterations) } / Double(iterations)
let pair = [trainer(seed: 2), trainer(seed: 3)]
_ = runInParallel(pair, workers: 2) { $0.run(iterations: 50) }
let pairTime = seconds { _ = runInParallel(pair, workers: 2) { $0.run(iterations: iterations) } } / Double(2 * iterations)

// 3. The same step in NumPy. Its bundled OpenBLAS recognises this CPU by itself, so the variables
// this process set for Debian's OpenBLAS are removed from its environment.
func numpyStep(_ dtype: String, threads: String?) -> Double? {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("numpy_step.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, String(max(iterations / 2, 100)), dtype]
    var environment = ProcessInfo.processInfo.environment
    for name in ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "LEARNING_TECHNIQUES_BLAS_RESTARTED"] {
        environment[name] = nil
    }
    if let threads { environment["OPENBLAS_NUM_THREADS"] = threads }
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0, let field = output.split(separator: " ").dropFirst().first else { return nil }
    return Double(field).map { $0 / 1e6 }
}
let numpy64 = numpyStep("float64", threads: nil)
let numpy32 = numpyStep("float32", threads: nil)

func us(_ t: Double?) -> String { t.map { String(format: "%8.1f µs", $0 * 1e6) } ?? "   (failed)" }
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
    print(String(format: "speedup vs numpy: %.1fx", numpy64 / pairTime))
} else {
    print("speedup vs numpy: unavailable (python3 with numpy did not run)")
}
