// The CPU as the program sees it, what `auto` precision becomes on each kind of CPU, bf16 on a CPU
// without bf16 kernels (emulated) giving bf16's results, the kernel-calibration cache, and every
// kernel a calibration may choose computing what the plain path computes.
#include "clip/attention.h"
#include "clip/clipencoder_p.h"
#include "clip/packedgemm.h"
#include "clip/quickgelu.h"
#include "clip/softmax_simd.h"
#include "clip/softmaxrows.h"
#include "platform/cpufeatures.h"
#include "platform/kernelcache.h"
#include "platform/kernelselect.h"
#include "platform/precision.h"
#include "platform/processenvironment.h"
#include "platform/systeminfo.h"
#include "platform/usablecores.h"
#include "testutil.h"
#include "util/runtime.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sched.h>
#include <sys/stat.h>
#include <sstream>
#include <thread>

using namespace ra;

namespace {

CpuFeatures avx2Cpu()
{
    CpuFeatures c;
    c.avx2 = c.fma = true;
    return c;
}

CpuFeatures avx512Cpu()
{
    CpuFeatures c = avx2Cpu();
    c.avx512f = c.avx512bw = c.avx512vl = c.avx512dq = true;
    return c;
}

double relDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>() / (b.abs().max().item<double>() + 1e-12);
}

ClipConfig tinyConfig()
{
    ClipConfig c;
    c.embedDim = 32;
    c.imageResolution = 16;
    c.visionLayers = 2;
    c.visionWidth = 64;
    c.patchSize = 4;
    c.contextLength = 8;
    c.vocabSize = 49408;
    c.textWidth = 64;
    c.textHeads = 2;
    c.textLayers = 1;
    c.visionHeads = 2;
    return c;
}

} // namespace

// One of our GEMMs (PRODUCT: Y = X W^T + BIAS, BIAS null for none) against REFERENCE (X W^T in
// double precision) over SHAPES (rows, depth, columns), with and without a bias, on one thread and
// on two; Y starts as NaN, so every element must be written.
template <class Product, class Reference>
void checkProduct(const std::vector<std::tuple<int64_t, int64_t, int64_t>>& shapes, Product product,
                  Reference reference)
{
    torch::NoGradGuard noGrad;
    for (int threads : {1, 2}) {
        setThreadCount(threads);
        for (auto [m, in, out] : shapes) {
            const auto x = torch::randn({m, in}), w = torch::randn({out, in}), b = torch::randn({out});
            const auto base = reference(x, w);
            const float* bias = b.template data_ptr<float>();
            for (bool withBias : {true, false}) {
                auto y = torch::full({m, out}, std::nanf(""));
                product(x, w, withBias ? bias : nullptr, y);
                const double err = relDiff(y.to(torch::kFloat64), withBias ? base + b.to(torch::kFloat64) : base);
                QVERIFY2(err < 1e-5,
                         qPrintable(QString("%1x%2x%3 on %4 threads, bias %5: %6")
                                        .arg(m)
                                        .arg(in)
                                        .arg(out)
                                        .arg(threads)
                                        .arg(withBias)
                                        .arg(err)));
            }
        }
    }
    setThreadCount(2);
}

class TestPlatform : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { setThreadCount(2); }

    void autoResolvesFromTheFeatures()
    {
        CpuFeatures bf16 = avx512Cpu();
        bf16.avx512bf16 = true;
        CpuFeatures amx = avx512Cpu();
        amx.amxBf16 = true;
        QCOMPARE(resolvePrecision(Precision::Auto, avx2Cpu()), ComputePrecision::Fp32);
        QCOMPARE(resolvePrecision(Precision::Auto, avx512Cpu()), ComputePrecision::Fp32);
        QCOMPARE(resolvePrecision(Precision::Auto, bf16), ComputePrecision::Bf16);
        QCOMPARE(resolvePrecision(Precision::Auto, amx), ComputePrecision::Bf16);
        QCOMPARE(resolvePrecision(Precision::Fp32, bf16), ComputePrecision::Fp32);
        // An explicit bf16 always runs: emulated below AVX-512, with one warning where not native.
        QCOMPARE(resolvePrecision(Precision::Bf16, avx2Cpu()), ComputePrecision::Bf16Emulated);
        QCOMPARE(resolvePrecision(Precision::Bf16, avx512Cpu()), ComputePrecision::Bf16);
        QVERIFY(precisionWarning(Precision::Bf16, avx2Cpu()).find("slower than fp32") != std::string::npos);
        QVERIFY(precisionWarning(Precision::Bf16, bf16).empty());
        QVERIFY(precisionWarning(Precision::Auto, avx2Cpu()).empty());
        QCOMPARE(QString(precisionName(precisionFromName("auto", "x"))), QStringLiteral("auto"));
        QVERIFY(test::errorOf([] {
                    precisionFromName("fp16", "setting precision");
                }).contains("setting precision: 'fp16'"));
    }

    // The status bar and the About box name what the CPU multiplies with, AMX included.
    void isaLabelNamesTheCpusInstructionSets()
    {
        CpuFeatures bf16 = avx512Cpu();
        bf16.avx512bf16 = true;
        CpuFeatures amx = bf16;
        amx.amxBf16 = true;
        QCOMPARE(QString::fromStdString(isaLabel(avx2Cpu())), QStringLiteral("AVX2"));
        QCOMPARE(QString::fromStdString(isaLabel(avx512Cpu())), QStringLiteral("AVX-512"));
        QCOMPARE(QString::fromStdString(isaLabel(bf16)), QStringLiteral("AVX-512 + BF16"));
        QCOMPARE(QString::fromStdString(isaLabel(amx)), QStringLiteral("AVX-512 + BF16 + AMX"));
        QVERIFY(QString::fromStdString(isaLabel(detectCpuFeatures("avx2"))).endsWith(QStringLiteral(" (limited)")));
        QVERIFY(systemSummaryLine().find(" · " + isaLabel(cpuFeatures()) + " · ") != std::string::npos);
    }

    // The override that makes an AVX-512 machine take an AVX2 laptop's paths.
    void forcedAvx2HidesAvx512()
    {
        const CpuFeatures forced = detectCpuFeatures("avx2");
        QVERIFY(!forced.avx512f && !forced.avx512bw && !forced.nativeBf16());
        QCOMPARE(QString::fromStdString(forced.isaLimit), QStringLiteral("avx2"));
        QCOMPARE(resolvePrecision(Precision::Auto, forced), ComputePrecision::Fp32);
        QCOMPARE(resolvePrecision(Precision::Bf16, forced), ComputePrecision::Bf16Emulated);
        QVERIFY(forced.identity() != detectCpuFeatures("").identity() || !detectCpuFeatures("").avx512f);
        QVERIFY(test::errorOf([] { detectCpuFeatures("sse9"); }).contains("RADAPTER_CPU_ISA"));
    }

    // CPUID agrees with the kernel's view in /proc/cpuinfo.
    void detectionMatchesProcCpuinfo()
    {
        std::ifstream in("/proc/cpuinfo");
        std::string line, flags;
        while (std::getline(in, line))
            if (line.rfind("flags", 0) == 0) {
                flags = " " + line.substr(line.find(':') + 1) + " ";
                break;
            }
        if (flags.empty()) QSKIP("no /proc/cpuinfo flags here");
        // Under a user-mode emulator (scripts/check-emulated-cpu.sh) CPUID describes the emulated
        // processor and /proc/cpuinfo still the host's. (The brand strings cannot tell: on some
        // virtual machines CPUID's differs from the kernel's model name.)
        if (qEnvironmentVariableIsSet("RADAPTER_EMULATED_CPU"))
            QSKIP("the CPU is emulated (RADAPTER_EMULATED_CPU): /proc/cpuinfo describes the host");
        const CpuFeatures c = detectCpuFeatures("");
        auto has = [&](const char* f) { return flags.find(std::string(" ") + f + " ") != std::string::npos; };
        QCOMPARE(c.avx2, has("avx2"));
        QCOMPARE(c.fma, has("fma"));
        QCOMPARE(c.avx512f, has("avx512f"));
        QCOMPARE(c.avx512bw, has("avx512bw"));
        QCOMPARE(c.avx512bf16, has("avx512_bf16"));
        QCOMPARE(c.amxBf16, has("amx_bf16"));
        QVERIFY(c.logicalCores >= 1);
    }

    // OPENBLAS_CORETYPE is set only where OpenBLAS's own choice is slower than the CPU allows or
    // needs an instruction the CPU lacks: 3DNow! or FMA4 on a virtual CPU claiming an Opteron or
    // a Piledriver (SIGILL before, scripts/check-emulated-cpu.sh --cpu qemu64 or Opteron_G5).
    void openblasKernelsFitTheCpu()
    {
        CpuFeatures zen3;
        zen3.avx = zen3.sse42 = zen3.avx2 = zen3.fma = true;
        QCOMPARE(betterOpenblasCore(zen3, "Zen"), std::string());
        QCOMPARE(betterOpenblasCore(zen3, "Prescott"), std::string("Haswell"));
        CpuFeatures avx512 = zen3;
        avx512.avx512f = avx512.avx512bw = avx512.avx512vl = avx512.avx512dq = true;
        QCOMPARE(betterOpenblasCore(avx512, "Haswell"), std::string("SkylakeX"));
        QCOMPARE(betterOpenblasCore(avx512, "COOPERLAKE"), std::string());
        CpuFeatures qemu64; // SSE3 only, AMD family 15 without 3DNow!
        QCOMPARE(betterOpenblasCore(qemu64, "Opteron_SSE3"), std::string("Prescott"));
        QCOMPARE(betterOpenblasCore(qemu64, "Opteron"), std::string("Prescott"));
        qemu64.sse42 = true;
        QCOMPARE(betterOpenblasCore(qemu64, "Opteron"), std::string("Nehalem"));
        qemu64.avx = true;
        QCOMPARE(betterOpenblasCore(qemu64, "Opteron"), std::string("Sandybridge"));
        CpuFeatures k8; // a real Opteron has 3DNow!: OpenBLAS's choice stands
        k8.amd3dNow = true;
        QCOMPARE(betterOpenblasCore(k8, "Opteron"), std::string());
        CpuFeatures piledriver; // QEMU's Opteron_G5 on a host without FMA4, and the real one
        piledriver.avx = piledriver.sse42 = piledriver.fma = true;
        QCOMPARE(betterOpenblasCore(piledriver, "Piledriver"), std::string("Sandybridge"));
        piledriver.fma4 = true;
        QCOMPARE(betterOpenblasCore(piledriver, "Piledriver"), std::string());
        QCOMPARE(betterOpenblasCore(k8, ""), std::string()); // OpenBLAS did not say
    }

    // The program's getenv answers libgomp's and OpenBLAS's load-time variables with the
    // program's defaults where the environment has none, and the environment's value otherwise.
    void getenvAnswersTheLoadTimeDefaults()
    {
        const QByteArray names[] = {"GOMP_SPINCOUNT", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "RADAPTER_CPU_ISA"};
        std::vector<std::pair<QByteArray, QByteArray>> saved;
        for (const QByteArray& name : names)
            if (qEnvironmentVariableIsSet(name)) saved.emplace_back(name, qgetenv(name));
        for (const QByteArray& name : names) unsetenv(name.constData());
        const auto value = [](const char* name) {
            const char* v = std::getenv(name);
            return std::string(v ? v : "(unset)");
        };
        QCOMPARE(value("GOMP_SPINCOUNT"), std::string("10000"));
        QCOMPARE(value("OPENBLAS_CORETYPE"), std::string("(unset)")); // OpenBLAS chooses for itself
        QCOMPARE(value("RADAPTER_SURELY_UNSET"), std::string("(unset)"));
        setenv("OMP_WAIT_POLICY", "ACTIVE", 1); // the user's policy: no spin count of ours
        QCOMPARE(value("GOMP_SPINCOUNT"), std::string("(unset)"));
        setenv("GOMP_SPINCOUNT", "5", 1);
        QCOMPARE(value("GOMP_SPINCOUNT"), std::string("5"));
        setenv("RADAPTER_CPU_ISA", "avx2", 1);
        QCOMPARE(value("OPENBLAS_CORETYPE"), std::string("Haswell"));
        setenv("RADAPTER_CPU_ISA", "avx512", 1);
        QCOMPARE(value("OPENBLAS_CORETYPE"), std::string("SkylakeX"));
        setenv("OPENBLAS_CORETYPE", "Zen", 1);
        QCOMPARE(value("OPENBLAS_CORETYPE"), std::string("Zen"));
        QCOMPARE(value("OPENBLAS_CORETYPE="), std::string("(unset)")); // no name has an '='
        for (const QByteArray& name : names) unsetenv(name.constData());
        for (const auto& [name, v] : saved) setenv(name.constData(), v.constData(), 1);
    }

    // bf16 asked for on a CPU without bf16 kernels: the emulated path rounds the operands of the
    // big products, so it differs from fp32 by bf16's error and no more -- and, where the CPU has
    // bf16 kernels, it agrees with them.
    void emulatedBf16GivesBf16Results()
    {
        auto enc = ClipEncoder::random(tinyConfig(), 3);
        auto& model = enc->impl().model;
        torch::manual_seed(4);
        const auto images = torch::randn({4, 3, 16, 16});
        torch::Tensor fp32, emulated;
        {
            c10::InferenceMode guard;
            fp32 = model->encodeImage(images);
            EmulatedBf16Guard emulate(true);
            emulated = model->encodeImage(images);
        }
        const double err = relDiff(emulated, fp32);
        QVERIFY2(err > 1e-6 && err < 3e-2, qPrintable(QString::number(err)));
        if (cpuFeatures().avx512Core()) {
            QCOMPARE(enc->setPrecision(Precision::Bf16), ComputePrecision::Bf16);
            c10::InferenceMode guard;
            const double native = relDiff(model->encodeImage(images), emulated);
            QVERIFY2(native < 3e-2, qPrintable(QString::number(native)));
        } else {
            QCOMPARE(enc->setPrecision(Precision::Bf16), ComputePrecision::Bf16Emulated);
        }
    }

    // Training with frozen weights under emulated bf16: gradients flow and match fp32's closely.
    void emulatedBf16Trains()
    {
        auto enc = ClipEncoder::random(tinyConfig(), 5);
        auto& model = enc->impl().model;
        for (auto& p : model->parameters()) p.set_requires_grad(false);
        model->train();
        torch::manual_seed(6);
        const auto images = torch::randn({3, 3, 16, 16});
        auto gradient = [&](ComputePrecision p) {
            auto x = images.clone().set_requires_grad(true);
            {
                TrainingPrecisionScope scope(p);
                model->encodeImage(x).to(torch::kFloat32).pow(2).sum().backward();
            }
            return x.grad();
        };
        const auto fp32 = gradient(ComputePrecision::Fp32);
        const auto emulated = gradient(ComputePrecision::Bf16Emulated);
        QVERIFY(torch::isfinite(emulated).all().item<bool>());
        const double err = relDiff(emulated, fp32);
        QVERIFY2(err > 1e-7 && err < 5e-2, qPrintable(QString::number(err)));
    }

    // Whatever kernel the calibration picked computes the same product as the plain path.
    void chosenKernelsAgreeWithThePlainProduct()
    {
        torch::manual_seed(7);
        torch::NoGradGuard noGrad;
        for (auto [m, in, out] : {std::tuple<int64_t, int64_t, int64_t>{64, 32, 48}, {300, 96, 96}, {5, 64, 256}}) {
            const auto x = torch::randn({m, in}), w = torch::randn({out, in}), b = torch::randn({out});
            PackedLinear packed;
            const double err = relDiff(fastLinear(x, w, b, packed), torch::nn::functional::linear(x, w, b));
            QVERIFY2(err < 1e-5, qPrintable(QString::number(err)));
        }
    }

    // Our own kernels split their work with ATen's parallel_for, a header template whose OpenMP
    // pragma is compiled into core: without OpenMP there it silently ran on one thread.
    void coreParallelForUsesEveryThread()
    {
        for (int threads : {1, 2, 3}) {
            setThreadCount(threads);
            QCOMPARE(coreParallelThreads(), threadCount());
        }
        setThreadCount(2);
    }

    // "All cores" is what the process may use: a thread pinned to one CPU (taskset, a container's
    // cpuset) gets one thread by default, not the machine's count.
    void allCoresMeansTheAffinityMask()
    {
        cpu_set_t saved;
        QCOMPARE(sched_getaffinity(0, sizeof saved, &saved), 0);
        int first = 0;
        while (!CPU_ISSET(first, &saved)) ++first;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(first, &one);
        QCOMPARE(sched_setaffinity(0, sizeof one, &one), 0);
        const CoreLimits pinned = coreLimits();
        setThreadCount(0);
        const int threadsWhenPinned = threadCount();
        QCOMPARE(sched_setaffinity(0, sizeof saved, &saved), 0);
        setThreadCount(2);
        QCOMPARE(pinned.affinity, 1);
        QCOMPARE(pinned.usable, 1);
        QCOMPARE(threadsWhenPinned, 1);
        QCOMPARE(coreLimits().affinity, CPU_COUNT(&saved));
    }

    // cgroup quotas read from real files laid out as the kernel does: v2 (unified, and under
    // "unified" on a hybrid machine), v1's cpu controller, the tightest of a group and its
    // ancestors, and "no limit" in each format.
    void cgroupQuotaIsTheTightestLimit()
    {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        auto write = [&](const std::string& file, const std::string& text) {
            std::filesystem::create_directories(std::filesystem::path(root + file).parent_path());
            std::ofstream(root + file) << text << "\n";
        };
        QCOMPARE(cgroupCpuQuota(root, "0::/\n"), 0.0); // no files: no limit
        write("/cpu.max", "max 100000");
        QCOMPARE(cgroupCpuQuota(root, "0::/\n"), 0.0);
        write("/cpu.max", "150000 100000");
        QCOMPARE(cgroupCpuQuota(root, "0::/\n"), 1.5);
        write("/app.slice/run.scope/cpu.max", "max 100000");
        write("/app.slice/cpu.max", "300000 100000");
        QCOMPARE(cgroupCpuQuota(root, "0::/app.slice/run.scope\n"), 1.5); // the root's is tighter
        write("/app.slice/run.scope/cpu.max", "50000 100000");
        QCOMPARE(cgroupCpuQuota(root, "0::/app.slice/run.scope\n"), 0.5);

        QTemporaryDir hybrid;
        const std::string h = hybrid.path().toStdString();
        std::filesystem::create_directories(h + "/cpu/job");
        std::filesystem::create_directories(h + "/unified");
        std::ofstream(h + "/cpu/job/cpu.cfs_quota_us") << "-1\n";
        std::ofstream(h + "/cpu/job/cpu.cfs_period_us") << "100000\n";
        const std::string self = "4:memory:/job\n1:cpu,cpuacct:/job\n0::/job\n";
        QCOMPARE(cgroupCpuQuota(h, self), 0.0);
        std::ofstream(h + "/cpu/job/cpu.cfs_quota_us") << "250000\n";
        QCOMPARE(cgroupCpuQuota(h, self), 2.5);
        std::filesystem::create_directories(h + "/unified/job");
        std::ofstream(h + "/unified/job/cpu.max") << "200000 100000\n";
        QCOMPARE(cgroupCpuQuota(h, self), 2.0);
        QCOMPARE(cgroupCpuQuota(h, "garbage\n1:cpu:\n"), 0.0);
    }

    // Our GEMM against ATen's product in double precision: row counts that fill no tile, one row
    // panel or several blocks, column counts off the tile width, depths on both sides of a pass
    // (256 for AVX2, 768 for AVX-512), with and without a bias, on one thread and on two (where
    // tasks split the columns).
    void packedGemmAgreesWithThePlainProduct()
    {
        const auto& cpu = cpuFeatures();
        const char* expected = cpu.avx512f ? "avx512" : cpu.avx2 && cpu.fma ? "avx2" : nullptr;
        QCOMPARE(packedGemmKernelName() ? std::string(packedGemmKernelName()) : std::string(),
                 expected ? std::string(expected) : std::string());
        if (!expected) QSKIP("this CPU has neither AVX2+FMA nor AVX-512, so the GEMM is never chosen");
        torch::manual_seed(5);
        checkProduct(
            {{1, 1, 1}, {5, 3, 17}, {6, 256, 32}, {13, 300, 100}, {50, 64, 768}, {301, 513, 47}, {20, 800, 40}},
            [](const torch::Tensor& x, const torch::Tensor& w, const float* bias, torch::Tensor& y) {
                auto panels = torch::full({packedGemmPanelFloats(w.size(0), w.size(1))}, std::nanf(""));
                packGemmWeight(w.data_ptr<float>(), w.size(0), w.size(1), panels.data_ptr<float>());
                packedGemm(x.data_ptr<float>(), x.size(0), x.size(1), w.size(0), panels.data_ptr<float>(), bias,
                           y.data_ptr<float>());
            },
            [](const torch::Tensor& x, const torch::Tensor& w) {
                return torch::mm(x.to(torch::kFloat64), w.to(torch::kFloat64).t());
            });
    }

    // The bf16 GEMM against the double-precision product of the bf16-rounded operands (what
    // VDPBF16PS multiplies; it accumulates in fp32): odd depths (the last pair half zero), depths on
    // both sides of a bf16 pass (1024), partial tiles, with and without a bias, on one and two threads.
    void packedGemmBf16AgreesWithTheRoundedProduct()
    {
        const auto& cpu = cpuFeatures();
        const bool expected = cpu.avx512f && cpu.avx512bf16;
        QCOMPARE(packedGemmBf16KernelName() != nullptr, expected);
        if (!expected) QSKIP("this CPU (or the ISA limit) has no AVX512-BF16, so the bf16 GEMM is never chosen");
        torch::manual_seed(6);
        const auto rounded = [](const torch::Tensor& t) { return t.to(torch::kBFloat16).to(torch::kFloat64); };
        checkProduct(
            {{1, 1, 1}, {5, 3, 17}, {6, 64, 32}, {13, 301, 100}, {50, 768, 768}, {149, 1100, 47}},
            [](const torch::Tensor& x, const torch::Tensor& w, const float* bias, torch::Tensor& y) {
                auto panels = torch::full({packedGemmBf16PanelValues(w.size(0), w.size(1))}, std::nanf(""),
                                          torch::kBFloat16);
                packGemmWeightBf16(w.data_ptr<float>(), w.size(0), w.size(1),
                                   reinterpret_cast<uint16_t*>(panels.data_ptr()));
                packedGemmBf16(x.data_ptr<float>(), x.size(0), x.size(1), w.size(0),
                               reinterpret_cast<const uint16_t*>(panels.data_ptr()), bias, y.data_ptr<float>());
            },
            [&](const torch::Tensor& x, const torch::Tensor& w) { return torch::mm(rounded(x), rounded(w).t()); });
    }

    // A frozen linear under bf16 autocast (the training path on native-bf16 CPUs), with each
    // direction on each kernel the calibration can choose (set through the cache): the output and
    // the input gradient agree with the double-precision product of the bf16-rounded operands.
    void autocastFrozenLinearAgreesOnEveryKernel()
    {
        if (!packedGemmBf16KernelName()) QSKIP("this CPU (or the ISA limit) has no AVX512-BF16");
        if (std::getenv("RADAPTER_LINEAR_KERNEL")) QSKIP("a kernel is forced");
        torch::manual_seed(8);
        const int64_t in = 64, out = 96;
        const auto w = torch::randn({out, in}) / 8, b = torch::randn({out});
        const auto x = torch::randn({4, 10, in}), g = torch::randn({4, 10, out});
        const auto rounded = [](const torch::Tensor& t) { return t.to(torch::kBFloat16).to(torch::kFloat64); };
        const auto yRef = torch::matmul(rounded(x), rounded(w).t()) + b.to(torch::kFloat64);
        const auto dxRef = torch::matmul(g.to(torch::kFloat64), rounded(w));
        int cache = 0;
        for (const char* forward : {"packed-gemm", "aten-linear"}) {
            for (const char* backward : {"packed-gemm", "aten-linear"}) {
                const std::string path =
                    (m_dir.path() + "/autocast" + QString::number(cache++) + ".json").toStdString();
                {
                    KernelCache choices(path, kernelCacheIdentity());
                    bool written[2] = {false, false};
                    choices.store("bf16 m64 64x96 t2", {forward, {}}, &written[0]);
                    choices.store("bf16 m64 96x64 t2", {backward, {}}, &written[1]);
                    QVERIFY(written[0] && written[1]);
                }
                resetKernelSelection(path, kernelCacheIdentity());
                PackedLinear packed{torch::kBFloat16};
                const auto xg = x.clone().requires_grad_(true);
                torch::Tensor y;
                {
                    TrainingPrecisionScope autocast(ComputePrecision::Bf16);
                    y = fastLinear(xg, w, b, packed);
                }
                (y.to(torch::kFloat32) * g).sum().backward();
                const QString what = QString("forward %1, backward %2").arg(forward, backward);
                QCOMPARE(packed.panels.defined(), std::string(forward) == "packed-gemm");
                QCOMPARE(packed.panelsT.defined(), std::string(backward) == "packed-gemm");
                QCOMPARE(kernelSelectionReport().calibrations, 0);
                const double ey = relDiff(y.to(torch::kFloat64), yRef),
                             edx = relDiff(xg.grad().to(torch::kFloat64), dxRef);
                QVERIFY2(ey < 1e-2 && edx < 1e-2,
                         qPrintable(QString("%1: output %2, gradient %3").arg(what).arg(ey).arg(edx)));
            }
        }
        resetKernelSelection(defaultKernelCachePath(), kernelCacheIdentity());
    }

    // The BLAS attention kernel against ATen's formulation: outputs and the gradient of the packed
    // projection, with and without the text tower's causal mask, at CLIP's head layout.
    void attentionKernelsAgree()
    {
        if (!blasAttentionAvailable()) QSKIP("this libtorch's BLAS exports no sgemm_, so only the ATen kernel exists");
        torch::manual_seed(11);
        for (auto [n, l, d, heads, causal] : {std::tuple<int64_t, int64_t, int64_t, int64_t, bool>{3, 7, 16, 2, false},
                                              {2, 8, 24, 3, true},
                                              {5, 65, 128, 2, false},
                                              {4, 16, 64, 1, true}}) {
            const auto mask = causal ? torch::full({l, l}, -std::numeric_limits<float>::infinity()).triu(1)
                                     : torch::Tensor();
            const auto qkv = torch::randn({n, l, 3 * d});
            const auto upstream = torch::randn({n, l, d});
            auto run = [&](bool blas) {
                auto x = qkv.clone().requires_grad_(true);
                auto y = blas ? attentionBlas(x, heads, mask) : attentionAten(x, heads, mask);
                (y * upstream).sum().backward();
                return std::pair{y.detach(), x.grad()};
            };
            const auto [yAten, gAten] = run(false);
            const auto [yBlas, gBlas] = run(true);
            QVERIFY2(relDiff(yBlas, yAten) < 1e-5, qPrintable(QString::number(relDiff(yBlas, yAten))));
            QVERIFY2(relDiff(gBlas, gAten) < 1e-5, qPrintable(QString::number(relDiff(gBlas, gAten))));
            c10::InferenceMode inference; // the evaluation path, without autograd
            QVERIFY(relDiff(attentionBlas(qkv, heads, mask), yAten) < 1e-5);
        }
    }

    // The one-pass QuickGELU loops against the function computed in double precision, over
    // lengths that are and are not multiples of the vector width and values out to where exp
    // saturates; the loop is the widest the (possibly masked) CPU has.
    void quickGeluLoopsAgreeWithTheFunction()
    {
        const auto& cpu = cpuFeatures();
        const char* forced = std::getenv("RADAPTER_QUICKGELU_KERNEL");
        const std::string expected = forced && std::string(forced) == "aten" ? "aten"
            : cpu.avx512f                                                    ? "avx512"
            : cpu.avx2 && cpu.fma                                            ? "avx2"
                                                                             : "aten";
        QCOMPARE(std::string(quickGeluKernelName()), expected);
        torch::manual_seed(3);
        for (int64_t n : {1, 7, 16, 17, 31, 100003}) {
            auto x = torch::randn({n}) * 4;
            if (n > 16) x.slice(0, 0, 8).copy_(torch::tensor({-100.f, -60.f, -30.f, -1.3f, 0.f, 1e-20f, 30.f, 100.f}));
            const auto g = torch::randn({n});
            const auto xd = x.to(torch::kFloat64), gd = g.to(torch::kFloat64);
            const auto s = torch::sigmoid(xd * 1.702);
            const auto yRef = xd * s;
            const auto gRef = gd * (s + 1.702 * xd * s * (1 - s));
            const auto scale = xd.abs().clamp_min(1.0);
            auto worst = [&](const torch::Tensor& a, const torch::Tensor& ref, const torch::Tensor& by) {
                return ((a.to(torch::kFloat64) - ref).abs() / by).max().item<double>();
            };
            const double fwd = worst(quickGeluForward(x), yRef, scale);
            QVERIFY2(fwd < 1e-6, qPrintable(QString("n %1: forward %2").arg(n).arg(fwd)));
            const double bwd = worst(quickGeluBackward(g, x), gRef, scale * gd.abs().clamp_min(1.0));
            QVERIFY2(bwd < 1e-5, qPrintable(QString("n %1: gradient %2").arg(n).arg(bwd)));
            auto inPlace = x.clone();
            quickGeluInPlace(inPlace);
            QVERIFY(torch::equal(inPlace, quickGeluForward(x)));
            // A strided input takes ATen's operators: the same function.
            const auto strided = torch::stack({x, x}, 1).select(1, 0);
            QVERIFY(n == 1 || !strided.is_contiguous());
            QVERIFY(worst(quickGeluForward(strided), yRef, scale) < 1e-6);
        }
    }

    // Attention's softmax loop against ATen's softmax computed in double precision, for each
    // instruction set this CPU has (whatever RADAPTER_CPU_ISA masks), over row lengths that are and
    // are not multiples of the vector widths, with masked (-inf) entries, large scores, and the
    // rows ATen turns into NaN (a NaN, +inf, only -inf).
    void softmaxRowsAgreeWithAten()
    {
        const auto& cpu = cpuFeatures();
        QCOMPARE(softmaxRowsKernelName() == nullptr, !cpu.avx512f && !(cpu.avx2 && cpu.fma));
        std::vector<std::pair<std::string, void (*)(float*, int64_t, int64_t)>> loops;
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            loops.push_back({"avx2", simd::softmaxRowsAvx2});
        if (__builtin_cpu_supports("avx512f")) loops.push_back({"avx512", simd::softmaxRowsAvx512});
        if (loops.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        torch::manual_seed(5);
        const float inf = std::numeric_limits<float>::infinity();
        for (const auto& [name, loop] : loops) {
            for (int64_t cols : {1, 7, 8, 16, 17, 50, 77}) {
                auto x = torch::randn({9, cols}) * 8;
                x[1] = x[1] * 1000; // scores far apart: most probabilities underflow to 0
                for (int64_t j = 1; j < cols; ++j) x[2][j] = -inf; // a causal mask's first row
                for (int64_t j = cols / 2 + 1; j < cols; ++j) x[3][j] = -inf;
                x[6][cols - 1] = std::nanf("");
                x[7][0] = inf;
                x[8].fill_(-inf);
                const auto reference = torch::softmax(x.to(torch::kFloat64), -1);
                auto y = x.clone();
                loop(y.data_ptr<float>(), y.size(0), cols);
                const auto yd = y.to(torch::kFloat64);
                const QString where = QString("%1, %2 columns").arg(QString::fromStdString(name)).arg(cols);
                for (int64_t r = 0; r < 6; ++r) {
                    const double worst = (yd[r] - reference[r]).abs().max().item<double>();
                    QVERIFY2(worst < 3e-7, qPrintable(where + QString(", row %1: %2").arg(r).arg(worst)));
                    QVERIFY2(torch::equal(y[r] == 0, reference[r] == 0) || r == 1, qPrintable(where));
                }
                for (int64_t r : {2, 3})
                    QVERIFY2(torch::equal(y[r] == 0, x[r] == -inf), qPrintable(where + ": masked entries are 0"));
                for (int64_t r = 6; r < 9; ++r)
                    QVERIFY2(y[r].isnan().all().item<bool>() && reference[r].isnan().all().item<bool>(),
                             qPrintable(where + QString(", row %1 is not all NaN").arg(r)));
            }
        }
    }

    // RADAPTER_KERNEL_CACHE=/dev/null keeps no cache (shown with a pipe and a folder): nothing is
    // read from it (a pipe blocked until a writer came), locked or renamed over it.
    void kernelCacheOnADeviceOrPipeKeepsNone()
    {
        const std::string fifo = (m_dir.path() + "/cache.fifo").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        for (const std::string& path : {fifo, m_dir.path().toStdString()}) {
            KernelCache cache(path, "cpu A|libtorch 1.13.0");
            bool written = true;
            cache.store("fp32 m64 32x48 t2", {"aten-linear", {}}, &written);
            QVERIFY(!written);
            QCOMPARE(cache.lookup("fp32 m64 32x48 t2")->kernel, std::string("aten-linear")); // in memory
            QVERIFY(!QFile::exists(QString::fromStdString(path + ".lock")));
        }
        QVERIFY(std::filesystem::is_fifo(fifo));
    }

    void kernelCacheIsWrittenReusedAndIgnoredElsewhere()
    {
        const std::string path = (m_dir.path() + "/cache/kernels.json").toStdString();
        {
            KernelCache cache(path, "cpu A|libtorch 1.13.0");
            QVERIFY(!cache.reused());
            bool written = false;
            cache.store("fp32 m64 32x48 t2", {"aten-linear", {{"aten-linear", 0.1}, {"onednn-packed", 0.2}}}, &written);
            QVERIFY(written);
        }
        QVERIFY(QFile::exists(QString::fromStdString(path)));
        KernelCache same(path, "cpu A|libtorch 1.13.0");
        QVERIFY(same.reused());
        QCOMPARE(QString::fromStdString(same.lookup("fp32 m64 32x48 t2")->kernel), QStringLiteral("aten-linear"));
        QCOMPARE(same.lookup("fp32 m64 32x48 t2")->ms.at("onednn-packed"), 0.2);
        KernelCache otherCpu(path, "cpu B|libtorch 1.13.0");
        QVERIFY(!otherCpu.reused() && !otherCpu.lookup("fp32 m64 32x48 t2"));
        KernelCache otherTorch(path, "cpu A|libtorch 2.1.0");
        QVERIFY(!otherTorch.reused() && !otherTorch.lookup("fp32 m64 32x48 t2"));
        // Another identity's choices are kept beside this one's, not replaced: programs under
        // RADAPTER_CPU_ISA=avx2 beside the usual ones made these measure again (and perhaps choose
        // otherwise) whenever they wrote the file.
        otherCpu.store("fp32 m64 32x48 t2", {"onednn-packed", {}});
        const auto keptA = KernelCache(path, "cpu A|libtorch 1.13.0").lookup("fp32 m64 32x48 t2");
        const auto keptB = KernelCache(path, "cpu B|libtorch 1.13.0").lookup("fp32 m64 32x48 t2");
        QVERIFY(keptA && keptA->kernel == "aten-linear");
        QVERIFY(keptB && keptB->kernel == "onednn-packed");
        // Two programs at once: what one stores the other finds (refresh) and keeps when it writes;
        // a shape both measured keeps the first one's choice in both.
        KernelCache first(path, "cpu A|libtorch 1.13.0"), second(path, "cpu A|libtorch 1.13.0");
        first.store("fp32 m16 8x8 t1", {"blas", {}});
        QVERIFY(!second.lookup("fp32 m16 8x8 t1"));
        second.store("fp32 m32 8x8 t1", {"onednn-packed", {}});
        QCOMPARE(second.lookup("fp32 m16 8x8 t1")->kernel, std::string("blas"));
        QVERIFY(!first.lookup("fp32 m32 8x8 t1") && first.refresh());
        QCOMPARE(first.lookup("fp32 m32 8x8 t1")->kernel, std::string("onednn-packed"));
        QCOMPARE(second.store("fp32 m16 8x8 t1", {"aten-linear", {}}).kernel, std::string("blas"));
        KernelCache later(path, "cpu A|libtorch 1.13.0");
        QCOMPARE(later.entries().size(), size_t(3));
        QCOMPARE(later.lookup("fp32 m16 8x8 t1")->kernel, std::string("blas"));
        // A key this instance read before another program replaced the file keeps the file's
        // choice on disk, the one every program starting now takes (this instance goes on with
        // its own). The replacement is a version-1 file, of one identity, which is read too.
        KernelCache stale(path, "cpu A|libtorch 1.13.0");
        std::ofstream(path, std::ios::trunc)
            << R"({"format": "radapter-kernels", "version": 1, "identity": "cpu A|libtorch 1.13.0",)"
            << R"( "choices": {"fp32 m16 8x8 t1": {"kernel": "onednn-packed", "ms": {}}}})";
        const auto fromVersion1 = KernelCache(path, "cpu A|libtorch 1.13.0").lookup("fp32 m16 8x8 t1");
        QVERIFY(fromVersion1 && fromVersion1->kernel == "onednn-packed");
        stale.store("fp32 m8 8x8 t1", {"blas", {}});
        QCOMPARE(stale.lookup("fp32 m16 8x8 t1")->kernel, std::string("blas"));
        KernelCache afterStale(path, "cpu A|libtorch 1.13.0");
        QVERIFY(afterStale.lookup("fp32 m16 8x8 t1"));
        QCOMPARE(afterStale.lookup("fp32 m16 8x8 t1")->kernel, std::string("onednn-packed"));
        QCOMPARE(afterStale.entries().size(), size_t(4));
        // A damaged file is measured again, not trusted.
        std::ofstream(path, std::ios::trunc) << "{\"format\": \"radapter-kernels\", \"choices\": ";
        QVERIFY(!KernelCache(path, "cpu A|libtorch 1.13.0").reused());
    }

    // Programs that store at the same moment (the test programs calibrate side by side; the Studio
    // beside the CLI) lose none of each other's entries: a lost one is measured again later and may
    // be chosen differently, which changes a run's last bits between program starts. Each writer
    // has its own cache instance and lock descriptor, as separate programs do.
    void kernelCacheKeepsEveryConcurrentWritersEntries()
    {
        const std::string path = (m_dir.path() + "/concurrent/kernels.json").toStdString();
        constexpr int writers = 6, keys = 25;
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&path, w] {
                KernelCache cache(path, "cpu A|libtorch 1.13.0");
                for (int k = 0; k < keys; ++k)
                    cache.store("fp32 m" + std::to_string(w) + " " + std::to_string(k) + "x8 t1", {"blas", {}});
            });
        for (auto& t : threads) t.join();
        QCOMPARE(KernelCache(path, "cpu A|libtorch 1.13.0").entries().size(), size_t(writers * keys));
    }

    // The real selector: the first use of a shape class measures it and writes the cache; a new
    // process (simulated by a reset) reuses it; another machine's identity measures again.
    void calibrationRunsOncePerMachine()
    {
        if (std::getenv("RADAPTER_LINEAR_KERNEL")) QSKIP("a kernel is forced");
        const std::string path = (m_dir.path() + "/selector/kernels.json").toStdString();
        const std::string identity = kernelCacheIdentity();
        QVERIFY(identity.find("libtorch") != std::string::npos);
        resetKernelSelection(path, identity);
        linearKernelFor(ComputePrecision::Fp32, 100, 40, 24);
        auto report = kernelSelectionReport();
        QCOMPARE(report.calibrations, 1);
        QVERIFY(!report.cacheReused);
        QCOMPARE(report.choices.count("fp32 m128 40x24 t2"), size_t(1));
        linearKernelFor(ComputePrecision::Fp32, 120, 40, 24); // the same shape class
        QCOMPARE(kernelSelectionReport().calibrations, 1);

        resetKernelSelection(path, identity);
        linearKernelFor(ComputePrecision::Fp32, 100, 40, 24);
        report = kernelSelectionReport();
        QCOMPARE(report.calibrations, 0);
        QVERIFY(report.cacheReused);

        resetKernelSelection(path, identity + "|another CPU");
        linearKernelFor(ComputePrecision::Fp32, 100, 40, 24);
        QCOMPARE(kernelSelectionReport().calibrations, 1);

        // The attention family shares the cache under its own keys.
        if (blasAttentionAvailable() && !std::getenv("RADAPTER_ATTENTION_KERNEL")) {
            attentionKernelFor(100, 17, 32);
            report = kernelSelectionReport();
            QCOMPARE(report.calibrations, 2);
            QCOMPARE(report.choices.count("attention fp32 s128 l32 hd32 t2"), size_t(1));
            attentionKernelFor(128, 17, 32);
            attentionKernelFor(100, 30, 32); // lengths come in classes of 16
            QCOMPARE(kernelSelectionReport().calibrations, 2);
            attentionKernelFor(100, 33, 32);
            QCOMPARE(kernelSelectionReport().calibrations, 3);
        }
        resetKernelSelection(defaultKernelCachePath(), kernelCacheIdentity());
    }
};

QTEST_GUILESS_MAIN(TestPlatform)
#include "tst_platform.moc"
