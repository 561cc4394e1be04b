import { availablePhotos, PHOTOS, availableGraphics, GRAPHIC_FILES } from '../test/support/photos';
console.log(availablePhotos().length, PHOTOS.length, availableGraphics().length, GRAPHIC_FILES.length);
