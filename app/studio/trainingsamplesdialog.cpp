#include "studio/trainingsamplesdialog.h"

#include "imagegallery.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ra::app {

TrainingSamplesDialog::TrainingSamplesDialog(QWidget* parent)
    : QDialog(parent), m_summary(new QLabel), m_gallery(new widgets::ImageGallery),
      m_next(new QPushButton(tr("Next Step")))
{
    setWindowTitle(tr("Training samples"));
    m_summary->setWordWrap(true);
    // Each crop three times its size, pixel for pixel (a 32-pixel crop is what a small model sees),
    // and room for the prompt under it.
    m_gallery->setIconSize(QSize(96, 96));
    m_gallery->setGridSize(QSize(150, 140));
    m_gallery->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_next, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_next, &QPushButton::clicked, this, [this] { Q_EMIT stepRequested(m_step + 1); });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_gallery, 1);
    layout->addWidget(buttons);
    resize(820, 620);
}

void TrainingSamplesDialog::showWaiting(int step)
{
    m_step = step;
    m_next->setEnabled(false);
    m_summary->setText(tr("Making the samples of step %1 as training will …").arg(step + 1));
}

void TrainingSamplesDialog::showFailure(const QString& message)
{
    m_next->setEnabled(true);
    m_summary->setText(message);
}

void TrainingSamplesDialog::setPreview(const TrainingSamplePreview& p)
{
    m_step = p.step;
    m_next->setEnabled(true);
    m_summary->setText(tr("Step %1 of training, its first %2 samples exactly as the step makes them: a random crop "
                          "keeping %3–%4 % of each image's area (crop_min, crop_max), resized to the model's %5 × %5 "
                          "pixels, and the prompt drawn for it from the project's templates.")
                           .arg(p.step + 1)
                           .arg(p.images.size())
                           .arg(100 * p.cropMin, 0, 'f', 0)
                           .arg(100 * p.cropMax, 0, 'f', 0)
                           .arg(p.resolution));
    QList<widgets::ImageGallery::Item> items;
    for (int i = 0; i < p.images.size(); ++i) {
        widgets::ImageGallery::Item item;
        item.path = p.paths.value(i);
        item.caption = p.texts.value(i).isEmpty() ? p.labels.value(i) : p.texts.value(i);
        item.tooltip = tr("%1\nclass: %2").arg(p.paths.value(i), p.labels.value(i));
        item.image = p.images[i].scaled(m_gallery->iconSize(), Qt::KeepAspectRatio, Qt::FastTransformation);
        items << item;
    }
    m_gallery->setItems(items);
}

} // namespace ra::app
