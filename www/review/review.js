// Builds the review grid: one row per layout, the light and the dark theme side by side.
import { LANGUAGES, LAYOUTS, THEMES, frameUrl } from './states.mjs';

const query = new URLSearchParams(location.search);
const language = LANGUAGES.includes(query.get('lang')) ? query.get('lang') : 'en';
const width = query.get('width') === '320' ? '320' : '640';
document.querySelector('select[name=lang]').value = language;
document.querySelector('select[name=width]').value = width;
document.body.classList.add(`review-width-${width}`);

const states = document.getElementById('states');
for (const layout of LAYOUTS) {
  const row = document.createElement('section');
  row.className = 'review-row';
  const heading = document.createElement('h2');
  heading.textContent = layout.title;
  row.append(heading);
  for (const theme of THEMES) {
    const figure = document.createElement('figure');
    figure.id = `${layout.id}-${theme}`;
    const frame = document.createElement('iframe');
    frame.src = frameUrl(layout, theme, language);
    frame.title = `${layout.title}, ${theme} theme`;
    const caption = document.createElement('figcaption');
    caption.textContent = `${theme} theme`;
    figure.append(frame, caption);
    row.append(figure);
  }
  states.append(row);
}
