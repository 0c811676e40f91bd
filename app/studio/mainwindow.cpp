#include "studio/mainwindow.h"

#include "modelsummarywidget.h"
#include "studio/modelloader.h"

#include <QApplication>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace ra::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_summary(new widgets::ModelSummaryWidget), m_loader(new ModelLoader(this))
{
    setWindowTitle(tr("R-Adapter Studio"));
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    auto* heading = new QLabel(tr("<h2>R-Adapter Studio</h2><p>Robust fine-tuning of CLIP zero-shot models. "
                                  "Open a CLIP checkpoint (.pt, .safetensors or a Hugging Face folder) to inspect it.</p>"));
    heading->setWordWrap(true);
    layout->addWidget(heading);
    layout->addWidget(m_summary);
    layout->addStretch();
    setCentralWidget(central);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Checkpoint…"), QKeySequence::Open, this, &MainWindow::chooseCheckpoint);
    file->addAction(tr("Open Hugging Face &Folder…"), this, &MainWindow::chooseCheckpointFolder);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About R-Adapter Studio"), this, &MainWindow::showAbout);

    connect(m_loader, &ModelLoader::loaded, this, [this](const ModelSummary& s) {
        m_summary->setModel(s.path, s.layout, s.config);
        statusBar()->showMessage(tr("Loaded %1").arg(s.path), 5000);
    });
    connect(m_loader, &ModelLoader::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Could not load the model"), 5000);
        QMessageBox::warning(this, tr("Could not load the model"), message);
    });
    statusBar()->showMessage(tr("Ready"));
    resize(900, 600);
}

MainWindow::~MainWindow() = default;

void MainWindow::openCheckpoint(const QString& path)
{
    statusBar()->showMessage(tr("Loading %1…").arg(path));
    m_loader->load(path);
}

void MainWindow::chooseCheckpoint()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open CLIP checkpoint"), QString(),
                                                      tr("CLIP checkpoints (*.pt *.safetensors);;All files (*)"));
    if (!path.isEmpty()) openCheckpoint(path);
}

void MainWindow::chooseCheckpointFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open Hugging Face CLIP folder"));
    if (!path.isEmpty()) openCheckpoint(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About R-Adapter Studio"),
                       tr("<h3>R-Adapter Studio %1</h3>"
                          "<p>Robust fine-tuning of CLIP zero-shot models with R-Adapter (Kim et al., ECCV 2024).</p>"
                          "<p>Built on Qt (LGPLv3), libtorch (BSD-3), OpenCV (Apache-2.0), QCustomPlot (GPLv3), "
                          "SQLite (public domain) and ICU (Unicode licence). CLIP's BPE vocabulary is "
                          "© 2021 OpenAI, MIT licence.</p>")
                           .arg(QStringLiteral(RA_VERSION)));
}

} // namespace ra::app
