#pragma once
// "Your images" in the alpha explorer: images the user adds (Add images…, or dropped on the view)
// classified by the run at alpha 0 (zero-shot), at the explorer's alpha and at 1 (the trained
// model), each with its probability; a prediction that differs from zero-shot's is marked, so a
// teacher can bring a photo of a digit and watch what fine-tuning did to it.
#include "studio/alphasweepdata.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QLabel;
class QThread;
class QTableWidget;

namespace ra::app {

class YourImagesView : public QWidget {
    Q_OBJECT
public:
    explicit YourImagesView(QWidget* parent = nullptr);
    ~YourImagesView() override; // waits for the thumbnails being decoded
    // Adds PATHS (files already listed are skipped) and asks for their predictions.
    void addImages(const QStringList& paths);
    void clear();
    QStringList paths() const { return m_paths; }
    // Shows PREDICTIONS when they are about the images listed now (a late answer is dropped).
    void setPredictions(const ImagePredictions& predictions);
    QTableWidget* table() const { return m_table; }
    QLabel* hint() const { return m_hint; }

Q_SIGNALS:
    // The images listed changed: their predictions are wanted.
    void imagesChanged(const QStringList& paths);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QTableWidget* m_table;
    const QString m_hintText;
    QLabel* m_hint; // the hint, or the files just refused
    QStringList m_paths;
    // The thumbnails of added files are decoded in a thread of their own (a hundred photos are a
    // second of decoding); those of a list since cleared are dropped.
    int m_generation = 0;
    QList<QPointer<QThread>> m_decoders;
    void decodeThumbnails(const QStringList& paths);
};

} // namespace ra::app
